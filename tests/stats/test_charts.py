"""SVG charts: well-formed, accessible, escaped, and never more revealing than their tables."""

from xml.etree import ElementTree

from spis.stats.charts import bar_chart_svg, bar_table, chart_table, line_chart_svg, monthly_points

NS = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


SERIES = [
    {"date": "2020-12-31", "in_custody": 10, "recognized_in_custody": 5},
    {"date": "2021-01-01", "in_custody": 12, "recognized_in_custody": 7},
    {"date": "2021-01-02", "in_custody": 11, "recognized_in_custody": 7},
]


def test_it_draws_an_accessible_line_chart():
    svg = line_chart_svg(
        SERIES,
        ["in_custody", "recognized_in_custody"],
        title="Held <now> & then",
        labels={"in_custody": "In custody", "recognized_in_custody": "Recognised"},
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Held <now> & then"
    assert root.find(f"{NS}title").text == "Held <now> & then"
    desc = root.find(f"{NS}desc").text
    assert "In custody: 10 on 2020-12-31, 11 on 2021-01-02, highest 12 on 2021-01-01." in desc
    assert len(root.findall(f"{NS}polyline")) == 2
    assert "<script" not in svg and "<now>" not in svg


def test_it_hides_suppressed_bars():
    rows = [
        {"key": "a", "label": "Minsk <b>", "count": 40, "display": "40"},
        {"key": "b", "label": "Brest", "count": None, "display": "<5"},
    ]
    svg = bar_chart_svg(rows, title="By region")
    root = parse(svg)
    assert len(root.findall(f"{NS}rect")) == 1  # no bar for the suppressed cell
    texts = ["".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert "<5" in texts and any("Minsk <b>" in t for t in texts)
    assert bar_table(rows) == [["label", "count"], ["Minsk <b>", "40"], ["Brest", "<5"]]


def test_it_survives_empty_data():
    parse(line_chart_svg([], ["in_custody"], title="Empty", labels={}))
    parse(bar_chart_svg([], title="Empty"))


def test_it_gives_the_data_as_a_table():
    assert chart_table(SERIES, ["in_custody"]) == [
        ["date", "in_custody"],
        ["2020-12-31", 10],
        ["2021-01-01", 12],
        ["2021-01-02", 11],
    ]
    assert [r["date"] for r in monthly_points(SERIES)] == ["2020-12-31", "2021-01-01"]


def test_figures_and_words_follow_the_page_language():
    from django.utils import translation

    big = [{"date": "2021-01-01", "n": 1200}, {"date": "2021-01-02", "n": 1900}]
    english = parse(line_chart_svg(big, ["n"], title="t", labels={"n": "held"}))
    assert "2,000" in [t.text for t in english.iter(f"{NS}text")]
    with translation.override("be"):
        root = parse(line_chart_svg(big, ["n"], title="t", labels={"n": "held"}))
    ticks = [t.text for t in root.iter(f"{NS}text")]
    assert "2\xa0000" in ticks and "2,000" not in ticks
    assert (
        root.find(f"{NS}desc").text
        == "held: 1\xa0200 на 2021-01-01, 1\xa0900 на 2021-01-02, найбольш 1\xa0900 на 2021-01-02."
    )
    # A document in its own language passes its own number format.
    custom = parse(line_chart_svg(big, ["n"], title="t", labels={"n": "held"}, number=lambda v: f"<{v:g}>"))
    assert "<2000>" in [t.text for t in custom.iter(f"{NS}text")]
