"""Server-side SVG charts: plain strings, no JavaScript, one code path for the site and the PDF briefs.

WeasyPrint renders inline SVG, so the same markup goes into a page and a brief. Every chart carries
role="img", an aria-label, <title> and <desc>, and comes with its data as a table (chart_table,
bar_table) because a chart alone is not accessible and a screen reader needs the numbers. All text is
escaped: labels come from data (region and facility names) and are never trusted as markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Colours that keep their contrast in print and for common colour-vision deficiencies (Okabe–Ito palette).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
FONT = 'font-family="system-ui, sans-serif"'
_ids = itertools.count(1)


def esc(text: Any) -> str:
    return _xml_escape(str(text), {'"': "&quot;", "'": "&#39;"})


def _nice_max(value: float, *, whole: bool = False) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^n); with `whole`, a whole number only
    (2.5 × 10^n from 25 up)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if candidate >= value and (not whole or float(candidate).is_integer()):
            return candidate
    return 10 * magnitude


def _nice_count_step(value: float, intervals: int = 4) -> int:
    """A whole, round tick step such that `intervals` steps reach `value`: the axes count people, and a count
    has no half-person ticks."""
    return int(_nice_max(max(value / intervals, 1), whole=True))


Number = Callable[[float], str]


def _fmt(value: float) -> str:
    """A figure as the page's language writes it: 2,000 in English, 2 000 in Belarusian and Russian."""
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1, force_grouping=True)


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    # Unique ids so that several charts on one page keep their own title/desc references.
    uid = f"spis-chart-{next(_ids)}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{esc(title)}" aria-labelledby="{uid}-t {uid}-d" '
        f'class="spis-chart">',
        f'<title id="{uid}-t">{esc(title)}</title>',
        f'<desc id="{uid}-d">{esc(desc)}</desc>',
    ]


def line_chart_svg(
    series: list[dict[str, Any]],
    keys: list[str],
    *,
    title: str,
    labels: dict[str, str],
    width: int = 800,
    height: int = 300,
    number: Number = _fmt,
) -> str:
    """A line chart of `keys` over `series` rows ({"date": "YYYY-MM-DD" or "month": "YYYY-MM", key: n}).

    Words and figures are in the active language; `number` formats figures otherwise (a brief in its own)."""
    left, right, top, bottom = 64, 16, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [str(row.get("date") or row.get("month") or "") for row in series]
    values = [[float(row.get(key) or 0) for row in series] for key in keys]
    peak = max((max(v) for v in values if v), default=0)
    # Counts of people: whole-number ticks (4 intervals of a round whole step), not 12.5 / 37.5.
    y_max = (
        4 * _nice_count_step(peak)
        if all(v.is_integer() for vals in values for v in vals)
        else _nice_max(peak)
    )
    desc = _line_desc(xs, keys, values, labels, number)
    parts = _open(width, height, title, desc)
    parts.append(f'<text x="{left}" y="20" {FONT} font-size="14" font-weight="bold">{esc(title)}</text>')
    parts.extend(_y_axis(left, top, plot_w, plot_h, y_max, number))
    n = len(series)

    def x_at(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    # X ticks: first day of each year when the series spans years, else a handful of evenly spaced labels.
    ticks = [i for i, x in enumerate(xs) if x[5:] in ("01-01", "01")] if n > 60 else []
    if not ticks and n:
        ticks = sorted({round(i * (n - 1) / 4) for i in range(5)}) if n > 1 else [0]
    for i in ticks:
        label = xs[i][:4] if n > 60 else xs[i]
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{top + plot_h + 18}" {FONT} font-size="11" '
            f'text-anchor="middle">{esc(label)}</text>'
        )
    for index, key in enumerate(keys):
        colour = PALETTE[index % len(PALETTE)]
        points = " ".join(
            f"{x_at(i):.1f},{top + plot_h - plot_h * v / y_max:.1f}" for i, v in enumerate(values[index])
        )
        if points:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
                f"<title>{esc(labels.get(key, key))}</title></polyline>"
            )
        legend_x = left + index * 220
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="12" height="4" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="{height - 9}" {FONT} font-size="11">{esc(labels.get(key, key))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _line_desc(
    xs: list[str], keys: list[str], values: list[list[float]], labels: dict[str, str], number: Number
) -> str:
    if not xs:
        return _("No data.")
    pieces = []
    for key, vals in zip(keys, values, strict=True):
        peak_i = max(range(len(vals)), key=lambda i: vals[i])
        pieces.append(
            _(
                "%(label)s: %(first)s on %(first_date)s, %(last)s on %(last_date)s, highest %(peak)s on %(peak_date)s."
            )
            % {
                "label": labels.get(key, key),
                "first": number(vals[0]),
                "first_date": xs[0],
                "last": number(vals[-1]),
                "last_date": xs[-1],
                "peak": number(vals[peak_i]),
                "peak_date": xs[peak_i],
            }
        )
    return " ".join(pieces)


def _y_axis(left: int, top: int, plot_w: int, plot_h: int, y_max: float, number: Number) -> list[str]:
    parts = []
    for step in range(5):
        value = y_max * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" {FONT} font-size="11" text-anchor="end">{esc(number(value))}</text>'
        )
    return parts


def bar_chart_svg(
    rows: list[dict[str, Any]], *, title: str, width: int = 800, height: int | None = None
) -> str:
    """Horizontal bars for breakdown rows ({"label", "count", "display"}); suppressed cells ("<5", count None)
    draw no bar, only their label, so a chart never reveals more than the table."""
    bar_h, gap, top, left, right = 18, 6, 36, 230, 70
    height = height or top + len(rows) * (bar_h + gap) + 16
    plot_w = width - left - right
    peak = max((row.get("count") or 0 for row in rows), default=0)
    x_max = _nice_max(peak)
    desc = "; ".join(
        f"{row.get('label', row.get('key'))}: {row.get('display', row.get('count'))}" for row in rows
    )
    parts = _open(width, height, title, desc or _("No data."))
    parts.append(f'<text x="8" y="20" {FONT} font-size="14" font-weight="bold">{esc(title)}</text>')
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        label = str(row.get("label", row.get("key", "")))
        short = label if len(label) <= 28 else label[:27] + "…"
        count = row.get("count")
        display = row.get("display", "" if count is None else str(count))
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h - 5}" {FONT} font-size="12" text-anchor="end">'
            f"<title>{esc(label)}</title>{esc(short)}</text>"
        )
        bar_w = plot_w * (count or 0) / x_max
        if count:
            parts.append(
                f'<rect x="{left}" y="{y}" width="{bar_w:.1f}" height="{bar_h}" fill="{PALETTE[0]}">'
                f"<title>{esc(label)}: {esc(display)}</title></rect>"
            )
        parts.append(
            f'<text x="{left + bar_w + 6:.1f}" y="{y + bar_h - 5}" {FONT} font-size="12">{esc(display)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_table(series: list[dict[str, Any]], keys: list[str]) -> list[list[Any]]:
    """The data behind a line chart as table rows: [date, value per key], header row first."""
    table: list[list[Any]] = [["date", *keys]]
    for row in series:
        table.append([row.get("date") or row.get("month"), *(row.get(key) for key in keys)])
    return table


def bar_table(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The data behind a bar chart: [label, display] rows (suppressed cells keep "<5"), header first."""
    return [["label", "count"], *([row.get("label", row.get("key")), row.get("display")] for row in rows)]


def monthly_points(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first day of each month from a daily series: a daily line since 2020 has ~2,400 points, which
    is heavy in a page and a PDF, while a monthly sample keeps the shape."""
    return [row for i, row in enumerate(series) if i == 0 or row["date"].endswith("-01")]
