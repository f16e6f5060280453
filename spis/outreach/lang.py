"""Numbers, dates and the fixed phrases of figure notes, per document language.

Documents are written in one language each; the interface translation machinery (gettext) follows the
request, not the document, so outreach carries its own small tables. A language missing here falls back
to English phrases (its templates still decide the document's text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

NBSP = "\u00a0"

# Genitive month names: "28 лістапада 2026", as dates are written in Belarusian and Russian letters.
_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "be": [
        "студзеня",
        "лютага",
        "сакавіка",
        "красавіка",
        "мая",
        "чэрвеня",
        "ліпеня",
        "жніўня",
        "верасня",
        "кастрычніка",
        "лістапада",
        "снежня",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
}

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "as_of": "as of {date}",
        "data": "Data",
        "sources": "Sources",
        "reproduce": "Reproduce",
        "not_available": "not available",
        "na": "n/a",
        "million": "million",
        "usd": "USD {amount}",
        "teu": "{amount} TEU",
        "registry_data": "spis registry, custody spells derived from dated events as of {date} "
        "(events recorded up to {recorded}); sealed records count in totals only",
        "registry_sources": "public sources cited on the underlying events: {n}",
        "chiefly": "chiefly",
        "demo": "synthetic demo data",
    },
    "be": {
        "as_of": "на {date}",
        "data": "Даныя",
        "sources": "Крыніцы",
        "reproduce": "Праверка",
        "not_available": "няма даных",
        "na": "н/д",
        "million": "млн",
        "usd": "{amount} долараў ЗША",
        "teu": "{amount} TEU",
        "registry_data": "рэестр spis, перыяды зняволення паводле датаваных падзей на {date} "
        "(падзеі, занесеныя да {recorded}); закрытыя запісы ўлічаныя толькі ў агульных ліках",
        "registry_sources": "публічных крыніц, спасланых у падзеях: {n}",
        "chiefly": "найперш",
        "demo": "сінтэтычныя дэманстрацыйныя даныя",
    },
    "ru": {
        "as_of": "на {date}",
        "data": "Данные",
        "sources": "Источники",
        "reproduce": "Проверка",
        "not_available": "нет данных",
        "na": "н/д",
        "million": "млн",
        "usd": "{amount} долларов США",
        "teu": "{amount} TEU",
        "registry_data": "реестр spis, периоды заключения по датированным событиям на {date} "
        "(события, внесённые до {recorded}); закрытые записи учтены только в итогах",
        "registry_sources": "публичных источников, на которые ссылаются события: {n}",
        "chiefly": "прежде всего",
        "demo": "синтетические демонстрационные данные",
    },
}


def phrase(lang: str, key: str, **values: Any) -> str:
    table = PHRASES.get(lang, PHRASES["en"])
    return table.get(key, PHRASES["en"][key]).format(**values)


def _group(digits: str, sep: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def format_number(value: float | int, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """1,450 in English; 1 450 (no-break space) and a decimal comma in Belarusian and Russian."""
    sep, point = (",", ".") if lang == "en" else (NBSP, ",")
    sign = ""
    if value < 0:
        sign = "\u2212"  # a true minus sign, as typeset in print
    elif signed and value > 0:
        sign = "+"
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    # Russian and Belarusian typography leaves four-digit numbers ungrouped (1450, 12 345).
    grouped = whole if lang != "en" and len(whole) <= 4 else _group(whole, sep)
    return sign + grouped + (point + frac if frac else "")


def format_date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    months = _MONTHS.get(lang, _MONTHS["en"])
    if lang == "en":
        return f"{value.day} {months[value.month - 1]} {value.year}"
    return f"{value.day} {months[value.month - 1]} {value.year}{NBSP}г."


def format_usd(value: float, lang: str) -> str:
    if abs(value) >= 1_000_000:
        amount = f"{format_number(value / 1_000_000, lang, 1)}{NBSP}{phrase(lang, 'million')}"
    else:
        amount = format_number(value, lang)
    return phrase(lang, "usd", amount=amount)


def format_teu(value: float, lang: str) -> str:
    return phrase(lang, "teu", amount=format_number(round(value), lang))
