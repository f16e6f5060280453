"""`spis campaign list | status SLUG | series SLUG | seed`: campaigns and their compliance with the registry."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from spis.campaigns.compliance import compliance, draining_series
from spis.campaigns.models import Campaign
from spis.campaigns.seed import seed_demo_campaign
from spis.registry.dates import parse_iso_date


class Command(BaseCommand):
    help = "Campaigns: list | status SLUG [--as-of D] [--known-on D] | series SLUG | seed. All take --json."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Every campaign.")
        listing.add_argument("--json", action="store_true", help="Print a JSON list.")
        for name, text in [
            ("status", "Compliance of each demand."),
            ("series", "The scope draining over time."),
        ]:
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument("slug", help="Campaign slug (see `spis campaign list`).")
            cmd.add_argument("--as-of", default=None, help="YYYY-MM-DD; default today (UTC).")
            cmd.add_argument("--known-on", default=None, help="YYYY-MM-DD: only events recorded by then.")
            cmd.add_argument("--demand", type=int, default=None, help="Demand id; default the first demand.")
            cmd.add_argument("--json", action="store_true", help="Print one JSON object.")
        seed = sub.add_parser("seed", help="Create the SYNTHETIC demo campaign (March 2023 letter).")
        seed.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            return self._list(options)
        if action == "seed":
            campaign = seed_demo_campaign("system:campaign-seed")
            result = {"slug": campaign.slug, "title": campaign.title, "is_synthetic": campaign.is_synthetic}
            self.stdout.write(json.dumps(result) if options["json"] else f"demo campaign: {campaign.slug}")
            return None
        campaign = Campaign.objects.filter(slug=options["slug"]).first()
        if campaign is None:
            raise CommandError(f"slug {options['slug']!r}: no such campaign (see `spis campaign list`)")
        try:
            as_of = parse_iso_date(options["as_of"], "--as-of") if options["as_of"] else timezone.now().date()
            known_on = parse_iso_date(options["known_on"], "--known-on") if options["known_on"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        demands = list(campaign.demands.all())
        if options["demand"] is not None:
            demands = [d for d in demands if d.pk == options["demand"]]
        if not demands:
            raise CommandError(
                f"campaign {campaign.slug!r}: no demand{' with that id' if options['demand'] else ''}"
            )
        demand = demands[0]
        try:
            if action == "series":
                rows = draining_series(demand, as_of, known_on=known_on)
                result = {"campaign": campaign.slug, "demand": demand.pk, "rows": rows}
            else:
                result = {"campaign": campaign.slug, "demand": demand.pk, "demand_text": demand.text}
                result |= compliance(demand, as_of, known_on).as_dict()
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif action == "series":
            self.stdout.write("date        scope_held  new_held  new_cumulative  list")
            for row in rows:
                self.stdout.write(
                    f"{row['date']}  {row['scope_held']:>10}  {row['new_held']:>8}  "
                    f"{row['new_cumulative']:>14}  {row['list']:>5}"
                )
        else:
            self._print_status(campaign, result)
        return None

    def _list(self, options):
        rows = [
            {
                "slug": c.slug,
                "title": c.title,
                "start_date": c.start_date.isoformat() if c.start_date else None,
                "is_public": c.is_public,
                "is_synthetic": c.is_synthetic,
                "demands": c.demands.count(),
            }
            for c in Campaign.objects.all()
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            mark = " [demo]" if row["is_synthetic"] else ""
            self.stdout.write(f"{row['slug']:<40} {row['title']}{mark}")

    def _print_status(self, campaign, r):
        when = f"as of {r['as_of']}" + (f", as known on {r['known_on']}" if r["known_on"] else "")
        self.stdout.write(f"{campaign.title} ({when})")
        self.stdout.write(f"  demand: {r['demand_text']}")
        rows = [
            (f"in scope ({r['scope_kind']} {r['scope_date']})", r["in_scope"]),
            ("released", r["released"]["total"]),
            *((f"  {k.replace('_', ' ')}", n) for k, n in r["released"].items() if k != "total" and n),
            ("still held", r["still_held"]),
            ("died in custody", r["died"]),
            ("newly recognised since", r["newly_recognized"]),
            ("net change of the list", r["net_change"]),
        ]
        for label, value in rows:
            self.stdout.write(f"  {label:<34} {value:>8,}")
        projected = r["projected_empty_on"] or "never at the current rate"
        self.stdout.write(
            f"  status: {r['status']}; releases/day (last {r['window_days']} days): "
            f"{r['release_rate_90d']}; empty on: {projected}"
        )
