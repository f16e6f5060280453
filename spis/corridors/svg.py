"""Schematic SVGs built as plain strings: a corridor map coloured by change in volume, and a tornado chart.

No plotting library: the web page and the PDF brief embed these strings directly, and every text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

from .model import Network
from .report import Report
from .sensitivity import Sensitivity

LOST, GAINED, SAME, CLOSED = "#c0392b", "#27ae60", "#9e9e9e", "#6d4c41"
# The words on the charts, in English; a caller with a language of its own passes translations (the site does,
# through gettext). Placeholders are %-style, as gettext catalogues check them.
MAP_TEXT = {
    "title": "Corridor map: %(scenario)s against the baseline",
    "legend": "Legend",
    "lost": "volume lost",
    "gained": "volume gained",
    "same": "unchanged",
    "closed_legend": "closed (dashed)",
    "width": "Line width: TEU per year (larger of before/after).",
    "closed": "closed",
}
TORNADO_TEXT = {
    "title": "Sensitivity of %(metric)s (%(scenario)s) to assumptions ±%(swing)s",
    "base": "base %(base)s; blue = low value, orange = high value",
}


def _fmt(x: float) -> str:
    return f"{x:,.0f}"


def map_svg(
    network: Network, rep: Report, width: int = 960, height: int = 560, text: Mapping[str, str] = MAP_TEXT
) -> str:
    """Equirectangular schematic of the network; links red where volume was lost, green where gained."""
    margin = 40
    lats = [n.lat for n in network.nodes.values()]
    lons = [n.lon for n in network.nodes.values()]
    lat0, lat1 = min(lats), max(lats)
    lon0, lon1 = min(lons), max(lons)
    # One scale for both axes keeps the equirectangular projection undistorted; the map is centred.
    scale = min(
        (width - 2 * margin) / max(lon1 - lon0, 1e-6), (height - 2 * margin - 60) / max(lat1 - lat0, 1e-6)
    )
    off_x = (width - scale * (lon1 - lon0)) / 2
    off_y = (height - 60 - scale * (lat1 - lat0)) / 2

    def xy(node_id: str) -> tuple[float, float]:
        n = network.nodes[node_id]
        return off_x + (n.lon - lon0) * scale, off_y + (lat1 - n.lat) * scale

    peak = max([max(a, b) for a, b in rep.link_change.values()] or [1.0]) or 1.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="map-title" font-family="sans-serif">',
        f'<title id="map-title">{escape(text["title"] % {"scenario": rep.scenario})}</title>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    closed = set(rep.closed_links)
    for link in network.links.values():
        before, after = rep.link_change.get(link.id, (0.0, 0.0))
        delta = after - before
        tol = 1e-6 * max(1.0, before, after)
        colour = LOST if delta < -tol else GAINED if delta > tol else SAME
        if link.id in closed:
            colour = CLOSED if before <= tol else LOST
        stroke = 1.0 + 7.0 * math.sqrt(max(before, after) / peak)
        dash = ' stroke-dasharray="5 4"' if link.id in closed else ""
        (x1, y1), (x2, y2) = xy(link.from_node), xy(link.to_node)
        label = f"{link.id} {link.crossing or link.mode}: {_fmt(before)} → {_fmt(after)} TEU/yr"
        if link.id in closed:
            label += f" ({text['closed']})"
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{stroke:.1f}" stroke-linecap="round" opacity="0.8"{dash}><title>{escape(label)}</title></line>'
        )
    for node in network.nodes.values():
        x, y = xy(node.id)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#263238"><title>{escape(f"{node.name} ({node.country})")}'
            f"</title></circle>"
        )
        # Border posts sit close together in Europe; labelling them too would make the map unreadable.
        if node.kind in ("origin", "destination", "port"):
            out.append(
                f'<text x="{x + 5:.1f}" y="{y - 4:.1f}" font-size="9" fill="#37474f">{escape(node.name)}</text>'
            )
    ly = height - 40
    out.append(f'<g font-size="12"><title>{escape(text["legend"])}</title>')
    keys = ((LOST, "lost"), (GAINED, "gained"), (SAME, "same"), (CLOSED, "closed_legend"))
    for i, (colour, key) in enumerate(keys):
        lx = margin + i * 170
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 30}" y2="{ly}" stroke="{colour}" stroke-width="5"/>')
        out.append(f'<text x="{lx + 36}" y="{ly + 4}">{escape(text[key])}</text>')
    out.append(f'<text x="{margin}" y="{ly + 22}" fill="#555">{escape(text["width"])}</text>')
    out.append("</g></svg>")
    return "\n".join(out)


def sensitivity_svg(
    sens: Sensitivity, top: int = 15, width: int = 900, text: Mapping[str, str] = TORNADO_TEXT
) -> str:
    """Tornado chart: for each assumption, the metric at −swing (blue) and +swing (orange) around the base value."""
    rows = list(sens.tornado[:top])
    label_w, bar_h, gap, head = 300, 18, 6, 50
    height = head + len(rows) * (bar_h + gap) + 40
    base = sens.base[sens.metric]
    values = [base] + [r.low_metric for r in rows] + [r.high_metric for r in rows]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    plot_w = width - label_w - 40

    def px(v: float) -> float:
        return label_w + (v - lo) / span * plot_w

    title = text["title"] % {"metric": sens.metric, "scenario": sens.scenario, "swing": f"{sens.swing:.0%}"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="tornado-title" font-family="sans-serif" font-size="11">',
        f'<title id="tornado-title">{escape(title)}</title>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="14">{escape(title)}</text>',
        f'<text x="10" y="38" fill="#555">{escape(text["base"] % {"base": _fmt(base)})}</text>',
    ]
    for i, r in enumerate(rows):
        y = head + i * (bar_h + gap)
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(r.key)}</text>')
        for v, colour, which in ((r.low_metric, "#1f77b4", "low"), (r.high_metric, "#ff7f0e", "high")):
            x0, x1 = sorted((px(base), px(v)))
            tip = f"{r.key} {which} ({r.low_value if which == 'low' else r.high_value:g}): {_fmt(v)}; source: {r.source}"
            out.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1.0):.1f}" height="{bar_h}" fill="{colour}" '
                f'opacity="0.8"><title>{escape(tip)}</title></rect>'
            )
    bx = px(base)
    out.append(f'<line x1="{bx:.1f}" y1="{head - 4}" x2="{bx:.1f}" y2="{height - 30}" stroke="#000"/>')
    out.append("</svg>")
    return "\n".join(out)
