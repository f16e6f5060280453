"""Cell parsers for real-world lists: local and partial dates, article lists, sentences, status words.

Pure Python (no Django) so that the readers and the property-based tests can call them on anything.
Each parser returns a value or raises CellError with a reason a documenter can act on (a Message: an English
template and its parameters, put into the reader's language where it is shown).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from spis.registry.dates import DAY, MONTH, YEAR, PartialDate

from .messages import Message, MessageError, gettext_noop


class CellError(MessageError):
    """A cell that cannot be read; the message says why (the caller adds line and column)."""


# Month names: nominative and genitive (ru, be), English full and short; keys are lower-case prefixes of
# at least three letters so that "марта", "сакавіка", "Mar." all resolve.
_MONTHS = {
    1: ["январ", "студзен", "jan"],
    2: ["феврал", "лют", "feb"],
    3: ["март", "сакавік", "mar"],
    4: ["апрел", "красавік", "apr"],
    5: ["ма", "трав", "траў", "may"],
    6: ["июн", "чэрвен", "jun"],
    7: ["июл", "ліпен", "jul"],
    8: ["август", "жнів", "жні", "aug"],
    9: ["сентябр", "верасен", "верасн", "sep"],
    10: ["октябр", "кастрычнік", "oct"],
    11: ["ноябр", "лістапад", "nov"],
    12: ["декабр", "снежан", "снежн", "dec"],
}
# "мая"/"май" share "ма" with "март": check longer prefixes first.
_MONTH_PREFIXES = sorted(
    ((prefix, month) for month, prefixes in _MONTHS.items() for prefix in prefixes),
    key=lambda item: -len(item[0]),
)
_MONTH_FIXES = {"лютага": 2, "люты": 2, "травеня": 5, "травень": 5, "студзеня": 1, "чэрвеня": 6}

_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\s*г\.?)?$")
_MY = re.compile(r"^(\d{1,2})[./](\d{4})(?:\s*г\.?)?$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:г\.?|год|года|гады|year))?$")
_WORDY = re.compile(r"^(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})(?:\s*(?:г\.?|года?))?$")
# Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug included); accept 1900..2100 only.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MIN, _EXCEL_MAX = 1, 73051


def month_from_word(word: str) -> int | None:
    word = word.lower().strip(".").replace("ё", "е")
    if word in _MONTH_FIXES:
        return _MONTH_FIXES[word]
    if len(word) < 3:
        return None
    for prefix, month in _MONTH_PREFIXES:
        if word.startswith(prefix):
            return month
    return None


def _make(year: int, month: int | None, day: int | None, text: str) -> PartialDate:
    if not 1800 <= year <= 2200:
        raise CellError(
            Message(gettext_noop("%(value)s: year %(year)s is implausible"), value=repr(text), year=year)
        )
    try:
        if day is not None and month is not None:
            return PartialDate(dt.date(year, month, day), DAY)
        if month is not None:
            return PartialDate(dt.date(year, month, 1), MONTH)
        return PartialDate(dt.date(year, 1, 1), YEAR)
    except ValueError:
        # Not dt.date's reason ("day is out of range for month"): it would stay English in every language,
        # and the date itself shows what is wrong with it.
        raise CellError(Message(gettext_noop("%(value)s is not a real date"), value=repr(text))) from None


def parse_date(value: object) -> PartialDate | None:
    """A partial date from a cell; text cells are cached (a list repeats the same dates many times)."""
    if isinstance(value, str):
        return _parse_date_text(value)
    return _parse_date(value)


@lru_cache(maxsize=50_000)
def _parse_date_text(value: str) -> PartialDate | None:
    return _parse_date(value)


def _parse_date(value: object) -> PartialDate | None:
    """A partial date from a cell: ISO, dd.mm.yyyy, mm.yyyy, yyyy, '12 марта 2021', Excel serials, date objects."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return PartialDate(value.date(), DAY)
    if isinstance(value, dt.date):
        return PartialDate(value, DAY)
    if isinstance(value, bool):
        raise CellError(Message(gettext_noop("%(value)s is not a date"), value=repr(value)))
    if isinstance(value, int | float):
        # A spreadsheet number in a date column: a bare year (1985) or an Excel serial date (44267).
        if float(value).is_integer() and 1800 <= value <= 2200:
            return _make(int(value), None, None, str(int(value)))
        return _excel_serial(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):
        return _excel_serial(float(text))
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MY, "my"), (_YEAR, "y")):
        m = pattern.match(text)
        if not m:
            continue
        parts = [int(g) if g else None for g in m.groups()]
        if order == "ymd":
            return _make(parts[0], parts[1], parts[2], text)  # type: ignore[arg-type]
        if order == "dmy":
            return _make(parts[2], parts[1], parts[0], text)  # type: ignore[arg-type]
        if order == "my":
            return _make(parts[1], parts[0], None, text)  # type: ignore[arg-type]
        return _make(parts[0], None, None, text)  # type: ignore[arg-type]
    m = _WORDY.match(text)
    if m:
        day_before, word, day_after, year = m.groups()
        month = month_from_word(word)
        if month is not None:
            day = day_before or day_after
            return _make(int(year), month, int(day) if day else None, text)
    raise CellError(
        Message(
            gettext_noop(
                "%(value)s is not a date (expected e.g. 12.03.2021, 03.2021, 2021, 2021-03-12, 12 марта 2021)"
            ),
            value=repr(text),
        )
    )


def _excel_serial(number: float) -> PartialDate:
    if number != number or not _EXCEL_MIN <= number <= _EXCEL_MAX:  # NaN or out of range
        raise CellError(
            Message(
                gettext_noop("%(value)s is not a date (not a plausible Excel date number)"),
                value=repr(number),
            )
        )
    return PartialDate(_EXCEL_EPOCH + dt.timedelta(days=int(number)), DAY)


# ---- articles ---------------------------------------------------------------------------------------------

_PART = re.compile(r"(?:ч\.?|част[ьи]|частка|part|p\.)\s*(\d{1,2})", re.I)
_ARTICLE = re.compile(r"(?<!\d)(\d{2,3}(?:\s*[-‑–]\s*\d{1,2})?)(?!\d)")
_ADMIN_CODE = re.compile(r"коап|каап|ккап|administrative", re.I)
_SPLIT = re.compile(r"[,;\n]|\s+(?:и|і|and)\s+")


def parse_articles(value: object) -> list[dict[str, str]]:
    """'342 ch.1, 361-1' -> [{code, article, part}, {code, article}]; CC-BY unless the code of offences is named."""
    return [dict(a) for a in _parse_articles(" ".join(str(value or "").split()))]


@lru_cache(maxsize=20_000)
def _parse_articles(text: str) -> tuple[dict[str, str], ...]:
    return tuple(_articles(text))


def _articles(text: str) -> list[dict[str, str]]:
    if not text:
        return []
    code = "AC-BY" if _ADMIN_CODE.search(text) else "CC-BY"
    found: list[dict[str, str]] = []
    for piece in _SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        part = _PART.search(piece)
        rest = _PART.sub(" ", piece)
        article = _ARTICLE.search(rest)
        if article is None:
            if part and found and "part" not in found[-1]:
                # "342 ч.1 и ч.2" style: a bare part belongs to the article before it.
                found.append({**found[-1], "part": part.group(1)})
                continue
            raise CellError(
                Message(
                    gettext_noop("%(value)s: no article number (expected e.g. 342 ч.1, 361-1)"),
                    value=repr(piece),
                )
            )
        entry = {"code": code, "article": re.sub(r"\s*[-‑–]\s*", "-", article.group(1))}
        if part:
            entry["part"] = part.group(1)
        found.append(entry)
    return found


# ---- sentences --------------------------------------------------------------------------------------------

_NUM = r"(\d+(?:[.,]5)?|полтора|паўтара|один|адзін|два|дв[ае]|тр[иы]|чатыры|четыре|пять|пяць)"
_WORD_NUMS = {
    "полтора": 1.5,
    "паўтара": 1.5,
    "один": 1,
    "адзін": 1,
    "два": 2,
    "две": 2,
    "дзве": 2,
    "три": 3,
    "тры": 3,
    "четыре": 4,
    "чатыры": 4,
    "пять": 5,
    "пяць": 5,
}
_YEARS = re.compile(_NUM + r"\s*(?:год|года|лет|гады|гадоў|г\.|years?|yrs?|y\b)", re.I)
_MONTHS_RE = re.compile(_NUM + r"\s*(?:месяц\w*|мес\.?|месяцаў|месяцы|months?|mos?\.?|m\b)", re.I)
_REGIMES = [
    # Order matters: "особого режима" before "общего", "тюрьм" before "колони".
    ("special", re.compile(r"особ\w+ режим|асабл\w+ рэжым|\bspecial\b", re.I)),
    ("strict", re.compile(r"строг\w*|строгі\w*|\bstrict\b", re.I)),
    ("strengthened", re.compile(r"усиленн\w*|узмоцнен\w*|\bstrengthened\b|\breinforced\b", re.I)),
    ("general", re.compile(r"общ\w+ режим|агульн\w+ рэжым|\bgeneral\b", re.I)),
    ("prison", re.compile(r"тюр[ьм]\w*|турм\w*|\bprison\b", re.I)),
]
_HOME = re.compile(r"домашн\w* хими|хатн\w* хімі|без направлени|без накіраван|at home|home", re.I)
_OPEN = re.compile(
    r"хими|хімі|ограничени\w* свобод|абмежаван\w* вол|restricted freedom|restriction of liberty", re.I
)
_FINE = re.compile(r"штраф|fine", re.I)
_ARREST = re.compile(r"(?<!домашний )\bарест\b|\bарышт\b|\barrest\b", re.I)
_LIFE = re.compile(r"пожизненн|пажыццёв|life", re.I)
_COLONY = re.compile(r"колони|калоні|лишени\w* свобод|пазбаўлен\w* вол|colony|imprisonment|deprivation", re.I)


@dataclass(frozen=True)
class Sentence:
    months: int | None
    regime: str
    fine_amount: str = ""
    note: str = ""


def _number(text: str) -> float:
    text = text.lower().replace(",", ".")
    return _WORD_NUMS.get(text) or float(text)


def parse_sentence(value: object) -> Sentence | None:
    """'3 года колонии усиленного режима', '2 years 6 months', 'штраф 100 б.в.', 'домашняя химия' -> Sentence."""
    return _parse_sentence(" ".join(str(value or "").split()))


@lru_cache(maxsize=20_000)
def _parse_sentence(text: str) -> Sentence | None:
    if not text:
        return None
    years = _YEARS.search(text)
    months_match = _MONTHS_RE.search(text)
    months: float | None = None
    if years or months_match:
        months = (_number(years.group(1)) * 12 if years else 0) + (
            _number(months_match.group(1)) if months_match else 0
        )
    regime = ""
    for name, pattern in _REGIMES:
        if pattern.search(text):
            regime = name
            break
    fine = ""
    if not regime:
        if _HOME.search(text):
            regime = "home"
        elif _OPEN.search(text):
            regime = "open"
        elif _FINE.search(text):
            regime, fine = "fine", text
        elif _ARREST.search(text):
            regime = "other"
        elif _LIFE.search(text):
            regime = "special"
    if months is None and not regime and not _COLONY.search(text):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: no term and no kind of penalty (expected e.g. '3 года колонии', 'штраф')"
                ),
                value=repr(text),
            )
        )
    if months is not None and months > 600:
        raise CellError(
            Message(
                gettext_noop("%(value)s: a term of %(months)s months is implausible"),
                value=repr(text),
                months=f"{months:g}",
            )
        )
    # A bare "колония"/"лишение свободы" names no regime: keep the words in the note rather than guess one.
    return Sentence(int(months) if months is not None else None, regime, fine, text if not regime else "")


# ---- status words -----------------------------------------------------------------------------------------

_RELEASE_WORDS = [
    ("expelled", re.compile(r"выслан|вывезен|депорт|expel|deport|forc\w+ out|высланы|вывезены", re.I)),
    ("exchanged", re.compile(r"обмен|абмен|exchang", re.I)),
    ("pardon", re.compile(r"помилов|памілав|pardon", re.I)),
    ("amnesty", re.compile(r"амнист|амніст|amnest", re.I)),
    ("house_arrest", re.compile(r"домашн\w+ арест|хатн\w+ арышт|house arrest", re.I)),
    ("end_of_term", re.compile(r"отбыл|адбыў|end of term|served|по окончании срока|term ended", re.I)),
]
_DIED = re.compile(r"умер|погиб|памёр|памер|загінуў|died|dead|deceased", re.I)
_RELEASED = re.compile(r"освобожд|вызвал|released|free[d]?\b|на свободе|на волі", re.I)
_HELD = re.compile(
    r"в заключении|за крат|у турме|в тюрьме|за решеткой|у зняволенні|in custody|held|detained|сидит", re.I
)
_RECOGNIZED = re.compile(
    r"политзаключ|палітвязн|political prisoner|признан|прызнан|recognized|recognised", re.I
)


@dataclass(frozen=True)
class Status:
    released: bool = False
    release_kind: str = ""
    died: bool = False
    recognized: bool = False


def parse_status(value: object) -> Status:
    """Status words in en/ru/be: released (and how), died, still held, recognised."""
    return _parse_status(" ".join(str(value or "").split()))


@lru_cache(maxsize=5_000)
def _parse_status(text: str) -> Status:
    if not text:
        return Status()
    kind = next((name for name, pattern in _RELEASE_WORDS if pattern.search(text)), "")
    died = bool(_DIED.search(text))
    released = bool(kind) or bool(_RELEASED.search(text))
    recognized = bool(_RECOGNIZED.search(text))
    if not (released or died or recognized or _HELD.search(text)):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: unknown status (expected e.g. 'в заключении', 'освобожден', 'помилован')"
                ),
                value=repr(text),
            )
        )
    return Status(released, kind or ("other" if released else ""), died, recognized)


_GENDERS = {
    "m": "m",
    "male": "m",
    "man": "m",
    "м": "m",
    "муж": "m",
    "мужской": "m",
    "мужчына": "m",
    "мужчина": "m",
    "мужчынскі": "m",
    "f": "f",
    "female": "f",
    "woman": "f",
    "ж": "f",
    "жен": "f",
    "женский": "f",
    "женщина": "f",
    "жанчына": "f",
    "жаночы": "f",
    "x": "x",
    "other": "x",
}


def parse_gender(value: object) -> str:
    text = str(value or "").strip().lower().rstrip(".")
    if not text:
        return ""
    if text not in _GENDERS:
        raise CellError(
            Message(
                gettext_noop("%(value)s: unknown gender (expected m/f, м/ж, male/female)"), value=repr(text)
            )
        )
    return _GENDERS[text]


_FORMULA = re.compile(r"^(?:[=@]|[+\-][^\d\s.,]|[\t\r])")


_FORMULA_START = frozenset("=@+-\t\r")


def looks_like_formula(text: str) -> bool:
    """A cell a spreadsheet would run as a formula (CSV injection); such cells are refused, not imported."""
    # The first character decides most cells without the pattern (every cell of a file passes here).
    return bool(text) and text[0] in _FORMULA_START and bool(_FORMULA.match(text))
