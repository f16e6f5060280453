"""`spis corridors run|list|sensitivity`: a plain function so it runs and is tested without Django."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from .loader import DEFAULT_FILE, load_scenario
from .model import Network, ScenarioError, with_overrides
from .report import Report, report
from .sensitivity import METRICS, sensitivity
from .solver import SolverError
from .svg import map_svg, sensitivity_svg


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse exits on its own; raising lets main() return a status code instead (tests, call_command).
    def error(self, message: str) -> Any:
        raise _UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="spis corridors", description="Freight-corridor leverage model: reroute China–EU cargo.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "file", nargs="?", default=str(DEFAULT_FILE), help="scenario YAML (default: %(default)s)"
        )
        sp.add_argument("--json", action="store_true", help="print one JSON object")

    def solving(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--scenario", help="scenario id (default: the first non-baseline scenario in the file)"
        )
        sp.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="PARAM=VALUE",
            help="override a number: a model parameter (value_of_time_usd_per_teu_day=200), LINK.FIELD or FLOW.FIELD",
        )
        sp.add_argument(
            "--solver", choices=["highs", "ortools"], default="highs", help="LP solver (default: highs)"
        )
        sp.add_argument("--svg", metavar="PATH", help="also write an SVG chart to PATH")

    run = sub.add_parser("run", help="reroute flows under a scenario and report against the baseline")
    common(run)
    solving(run)
    lst = sub.add_parser("list", help="list the scenarios in the file")
    common(lst)
    sens = sub.add_parser("sensitivity", help="which assumptions drive the headline result (tornado table)")
    common(sens)
    solving(sens)
    sens.add_argument(
        "--metric", choices=METRICS, default="added_cost_usd", help="headline metric to rank by"
    )
    sens.add_argument(
        "--swing", type=float, default=0.5, help="relative change of each assumption (default 0.5)"
    )
    sens.add_argument("--top", type=int, default=15, help="rows to print (default 15; --json prints all)")
    return p


def _parse_sets(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise _UsageError(f"--set {item!r}: expected PARAM=VALUE")
        try:
            out[key.strip()] = float(raw)
        except ValueError:
            raise _UsageError(f"--set {item!r}: {raw!r} is not a number") from None
    return out


def _default_scenario(network: Network) -> str:
    for sid in network.scenarios:
        if sid != "baseline":
            return sid
    return "baseline"


def _load(args: argparse.Namespace) -> Network:
    network = load_scenario(Path(args.file))
    sets = _parse_sets(getattr(args, "set", []) or [])
    return with_overrides(network, sets, "--set") if sets else network


def _print_report(rep: Report, out: TextIO) -> None:
    t = rep.totals
    out.write(f"Scenario {rep.scenario}: {rep.description}\n")
    out.write(
        f"closed links: {', '.join(rep.closed_links) or 'none'}; value of time {rep.value_of_time_usd_per_teu_day:g} USD/TEU-day\n\n"
    )
    out.write(
        f"{'flow':<6}{'TEU/yr':>10}{'stranded':>10}{'+days':>8}{'+freight USD':>16}{'+time USD':>16}  new routes\n"
    )
    for f in rep.flows:
        routes = "; ".join(f"{' '.join(r.links)} ({r.share:.0%})" for r in f.routes) or "none"
        days = "-" if f.added_days is None else f"{f.added_days:.1f}"
        out.write(
            f"{f.id:<6}{f.teu:>10,.0f}{f.stranded_teu:>10,.0f}{days:>8}{f.added_freight_cost_usd:>16,.0f}"
            f"{f.added_time_cost_usd:>16,.0f}  {routes}\n"
        )
    out.write(
        f"\ntotal: stranded {t.stranded_teu:,.0f} TEU (USD {t.stranded_value_usd:,.0f}); added freight USD "
        f"{t.added_freight_cost_usd:,.0f}; added time cost USD {t.added_time_cost_usd:,.0f} per year\n\n"
    )
    out.write(f"{'transit country':<16}{'TEU before':>12}{'TEU after':>12}{'revenue change USD':>20}\n")
    for c, r in t.by_transit_country.items():
        out.write(f"{c:<16}{r.baseline_teu:>12,.0f}{r.scenario_teu:>12,.0f}{r.change_usd:>20,.0f}\n")
    if rep.transit:
        tr = rep.transit
        out.write(
            f"\nclosure of {tr.duration_days:g} days: {tr.caught_teu:,.0f} TEU (~{tr.caught_trains:,.0f} trains, USD "
            f"{tr.caught_value_usd:,.0f}) caught in transit: {tr.on_the_way_teu:,.0f} already on the way, "
            f"{tr.dispatched_during_teu:,.0f} dispatched while closed\n"
        )
        for lid, clear in tr.backlog_clear_days.items():
            out.write(
                f"  backlog at {lid} clears {'never' if clear is None else f'in {clear:g} days'} after reopening\n"
            )


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 solver failure, 2 bad input)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
        network = _load(args)
        if args.command == "list":
            rows: list[dict[str, Any]] = [
                {
                    "id": s.id,
                    "description": s.description,
                    "closed_links": sorted(s.closed_links),
                    "duration_days": s.duration_days.value if s.duration_days else None,
                }
                for s in network.scenarios.values()
            ]
            if args.json:
                out.write(
                    json.dumps({"file": args.file, "scenarios": rows}, ensure_ascii=False, indent=2) + "\n"
                )
            else:
                for r in rows:
                    out.write(f"{r['id']:<28} {r['description']}\n")
            return 0
        scenario = args.scenario or _default_scenario(network)
        if args.command == "run":
            rep = report(network, scenario, solver=args.solver)
            if args.svg:
                Path(args.svg).write_text(map_svg(network, rep), encoding="utf-8")
            if args.json:
                out.write(json.dumps(rep.as_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                _print_report(rep, out)
            return 0
        sens = sensitivity(network, scenario, solver=args.solver, metric=args.metric, swing=args.swing)
        if args.svg:
            Path(args.svg).write_text(sensitivity_svg(sens, top=args.top), encoding="utf-8")
        if args.json:
            out.write(json.dumps(sens.as_dict(), ensure_ascii=False, indent=2) + "\n")
            return 0
        out.write(
            f"{sens.metric} for {sens.scenario}: base {sens.base[sens.metric]:,.0f}\n\nvalue of time sweep:\n"
        )
        for v in sens.value_of_time:
            out.write(f"  {v.value_of_time_usd_per_teu_day:>6g} USD/TEU-day: {v.metrics[sens.metric]:,.0f}\n")
        out.write(f"\nassumptions ±{sens.swing:.0%}, ranked by effect:\n")
        for row in sens.tornado[: args.top]:
            out.write(
                f"  {row.key:<48}{row.low_metric:>18,.0f}{row.high_metric:>18,.0f}   {row.source[:60]}\n"
            )
        return 0
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return 2
    except ScenarioError as exc:
        err.write(exc.render() + "\n")
        return 2
    except (SolverError, ValueError) as exc:
        err.write(f"spis corridors: {exc}\n")
        return 1 if isinstance(exc, SolverError) else 2


if __name__ == "__main__":
    raise SystemExit(main())
