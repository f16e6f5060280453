"""Cell parsers for real-world lists: local and partial dates, article lists, sentences, status words.

Pure Python (no Django) so that the readers and the property-based tests can call them on anything.
Each parser returns a value or raises CellError with a reason a documenter can act on (a Message: an English
template and its parameters, put into the reader's language where it is shown).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from spis.names.clean import one_script
from spis.registry.dates import DAY, MONTH, YEAR, PartialDate

from .messages import Message, MessageError, gettext_noop


class CellError(MessageError):
    """A cell that cannot be read; the message says why (the caller adds line and column)."""


# Lists are typed on Latin keyboards as often as on Cyrillic ones: Belarusian "і" is most often typed as Latin
# "i" (a Russian layout has no "і"), and a word may carry other Latin look-alikes (a, c, e, o, p, x, y, I).
# A word of Cyrillic and Latin letters is made one script, its majority's (spis.names.clean.one_script, as
# names are matched), before any pattern reads it: "памiлаваннi" is "памілаванні", a pardon.
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[^\W\d_]+")
# The Belarusian "і" (and) typed as a Latin "i" between two words of a Cyrillic text: "342 i 130".
_LONE_I = re.compile(r"(?<=\s)i(?=\s)")


def one_script_words(text: str) -> str:
    """The text with each word that mixes Cyrillic and Latin letters in its majority's script ("у зняволеннi"
    is "у зняволенні"), and a lone Latin "i" among Cyrillic words read as "і"; any other text as it is."""
    if not (_CYRILLIC_LETTER.search(text) and _LATIN_LETTER.search(text)):
        return text
    return _LONE_I.sub("і", _WORD.sub(lambda word: one_script(word.group()), text))


# Month names (ru, be, en). A word is a month when it begins with a month's stem (an inflection: "марта",
# "сакавіка", "траўня"), is one of a month's forms ("май", "мая"), or abbreviates one (at least three
# letters of the start of its name, "мар.", "сент.", "ліст.", "Sept", or a short form lists write, "жн.")
# that starts no other month's name: "ма" starts both "май" and "март", and a word that begins with "ма"
# but abbreviates no month ("мал") is no month, so no word is read as May for its first two letters.
_MONTH_STEMS = {
    1: ["январ", "студзен", "january"],
    2: ["феврал", "лют", "february"],
    3: ["март", "сакавік", "march"],
    4: ["апрел", "красавік", "april"],
    5: ["травен", "траўн", "травн"],
    6: ["июн", "чэрвен", "june"],
    7: ["июл", "ліпен", "july"],
    8: ["август", "жнівен", "жніўн", "august"],
    9: ["сентябр", "верасен", "верасн", "september"],
    10: ["октябр", "кастрычнік", "october"],
    11: ["ноябр", "лістапад", "november"],
    12: ["декабр", "снежан", "снежн", "december"],
}
# Whole words that no stem above covers (May's forms share "ма" with March's).
_MONTH_WORDS = {"май": 5, "мая": 5, "мае": 5, "may": 5, "травень": 5, "траўня": 5, "люты": 2, "лютага": 2}
# Abbreviations lists write that are shorter than three letters.
_MONTH_SHORT = {"жн": 8}
_MONTH_NAMES = [(stem, month) for month, stems in _MONTH_STEMS.items() for stem in stems]
_MONTH_NAMES += _MONTH_WORDS.items()
# "г." (год, year) after a year, also "г.р." / "г. р." (год рождения, year of birth) and "г.н." (год
# нараджэння) as lists of births write them, and "году" / "годзе" after "в" ("в 2021 году", "у 2021 годзе").
_YEAR_WORD = (
    r"(?:\s*(?:г\.?(?:\s*[рн]\.?)?|(?:год|года|гады)(?:\s+(?:рождения|нараджэння))?|году|годзе|year))?"
)
# Day first, whichever of . / - , separates (the same one twice): "12.03.2021", "12/03/2021", "12-03-2021",
# "12,03,2021" (a comma typed for the dot on a Russian keyboard's numeric row).
_DMY = re.compile(r"^(\d{1,2})([./,-])(\d{1,2})\2(\d{4})" + _YEAR_WORD + "$")
# A space typed after a dot between digits: "12. 03. 2021" is 12.03.2021 (not after a comma: "March 12, 2021").
_SPACED_DOT = re.compile(r"(?<=\d)\.\s+(?=\d)")
# A month in Roman numerals, as Russian and Belarusian documents write it: "III.2021", "12.III.2021", "12 III
# 2021"; a Cyrillic Х or І typed for the Latin letter is read as it.
_ROMAN_MONTHS = {
    numeral: month
    for month, numeral in enumerate(
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], 1
    )
}
_ROMAN = re.compile(r"^(?:(\d{1,2})[.\s]\s*)?([IVXІХ]{1,4})[.\s]\s*(\d{4})" + _YEAR_WORD + "$")
_ROMAN_LOOK_ALIKES = str.maketrans("ІХ", "IX")
_MY = re.compile(r"^(\d{1,2})[./](\d{4})" + _YEAR_WORD + "$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD = re.compile(r"^(\d{4})([./])(\d{1,2})\2(\d{1,2})$")  # 2021/03/12, 2021.03.12
_YEAR = re.compile(r"^(\d{4})" + _YEAR_WORD + "$")
_WORDY = re.compile(r"^(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})" + _YEAR_WORD + "$")
# A two-digit year, only with dots as Russian and Belarusian lists write it ("12.03.21"): with / or - it could
# as well be month first (US) or year first.
_DMY_SHORT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})" + _YEAR_WORD + "$")
# Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug included). A bare number is read as
# such a serial only from 10000 (1927-05-18) to 73051 (2100-12-31): every birth, detention or verdict on a
# list of living prisoners falls after 1927, while smaller numbers are ages, two-digit years or typos (85
# would be 1900-03-25), and a year is 1900..2100.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MIN, _EXCEL_MAX = 10_000, 73_051
_YEAR_MIN, _YEAR_MAX = 1900, 2100


def month_from_word(word: str) -> int | None:
    """The month a word names or abbreviates ("марта", "мар.", "сак.", "Sept"); None for any other word."""
    word = one_script(word).lower().strip(".").replace("ё", "е")
    if month := _MONTH_WORDS.get(word) or _MONTH_SHORT.get(word):
        return month
    for month, stems in _MONTH_STEMS.items():
        if any(word.startswith(stem) for stem in stems):
            return month
    if len(word) < 3:
        return None
    # An abbreviation: the start of exactly one month's name.
    months = {month for name, month in _MONTH_NAMES if name.startswith(word)}
    return months.pop() if len(months) == 1 else None


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


def parse_date(value: object, today: dt.date | None = None) -> PartialDate | None:
    """A partial date from a cell; text cells are cached (a list repeats the same dates many times).

    today (the calendar day, by default) decides the century of a two-digit year."""
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, as records checks births against
    if isinstance(value, str):
        return _parse_date_text(value, today)
    return _parse_date(value, today)


@lru_cache(maxsize=50_000)
def _parse_date_text(value: str, today: dt.date) -> PartialDate | None:
    # today is in the key: a two-digit year read one day may be read otherwise the next year.
    return _parse_date(value, today)


def parse_date_month_first(value: object, today: dt.date | None = None) -> PartialDate | None:
    """parse_date for a list that writes its dates month first with slashes (US: "08/21/2020"), as
    slash_order found: "12/10/2020" is 2020-12-10 there. Every other form reads as parse_date reads it."""
    if isinstance(value, str) and (m := _SLASHED.match(" ".join(value.split()))):
        return _make(int(m[3]), int(m[1]), int(m[2]), value)
    return parse_date(value, today)


# A date with dots and a four-digit year ("21.08.2020"): a list that writes one writes day first.
_DOTTED = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?!\d)")
_SLASHED_IN = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/\d{4}(?![\d/])")
# A date with slashes and a four-digit year, whose order a list's other dates may tell: "08/21/2020".
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def slash_order(texts: Iterable[object]) -> tuple[str, str] | None:
    """A list's dates written with slashes read month first: (a date only that order reads, "08/21/2020", for
    the note) when at least two dates are only month first, and none is only day first ("21/08/2020") nor
    written with dots ("21.08.2020", as Russian and Belarusian lists write): else None, and all read day first
    (one "03/25/2021" among day-first dates is a typo, refused, not the order of the list). The dates are
    looked for inside a text too, as a status cell writes one ("released 08/21/2023")."""
    month_first: set[str] = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        if "/" not in text:
            if "." in text and _DOTTED.search(text):
                return None
            continue
        for m in _SLASHED_IN.finditer(text):
            first, second = int(m[1]), int(m[2])
            if first > 12 and second <= 12:
                return None  # only day first: the list's order is the house's
            if second > 12 and first <= 12:
                month_first.add(m[0])
    return ("month", min(month_first)) if len(month_first) > 1 else None


# "с 2020 г." (since 2020), as a list writes the start of a detention whose day it does not know, and "в марте
# 2021", "у сакавіку 2021", "in March 2021" (in a month or a year): the date is the one after the word, with its
# precision.
_SINCE = re.compile(r"^(?:с|со|з|since|from|в|во|у|ў|in)\s+(?=\w)", re.I)


def _parse_date(value: object, today: dt.date) -> PartialDate | None:
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
        if float(value).is_integer() and _YEAR_MIN <= value <= _YEAR_MAX:
            return _make(int(value), None, None, str(int(value)))
        return _excel_serial(value)
    written = one_script_words(" ".join(str(value).split()))
    text = _SPACED_DOT.sub(".", _SINCE.sub("", written))
    if not text:
        return None
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):
        return _excel_serial(float(text))
    if m := _ISO.match(text):
        year, month, day = (int(g) if g else None for g in m.groups())
        return _make(year, month, day, text)  # type: ignore[arg-type]
    if m := _YMD.match(text):
        return _make(int(m[1]), int(m[3]), int(m[4]), text)
    if m := _DMY.match(text):
        return _make(int(m[4]), int(m[3]), int(m[1]), text)
    if m := _DMY_SHORT.match(text):
        return _short_year(int(m[1]), int(m[2]), int(m[3]), text, today)
    if m := _MY.match(text):
        return _make(int(m[2]), int(m[1]), None, text)
    if m := _YEAR.match(text):
        return _make(int(m[1]), None, None, text)
    if (m := _ROMAN.match(text)) and (month := _ROMAN_MONTHS.get(m[2].translate(_ROMAN_LOOK_ALIKES))):
        return _make(int(m[3]), month, int(m[1]) if m[1] else None, text)
    m = _WORDY.match(text)
    if m:
        day_before, word, day_after, year = m.groups()
        month = month_from_word(word)
        if month is not None:
            day = day_before or day_after
            return _make(int(year), month, int(day) if day else None, text)
    raise CellError(_why_no_date(written, text, today))


# Words for a part of a year or a month ("начало 2021", "нач. 2021", "конец марта 2021", "осень 2020", "mid-2021"):
# no day or month a date holds, and the year or month alone would say the list knew no more, so they are refused
# saying what to write. Each is the start of such a word; a cell of these words and a date is one.
_PERIOD_PARTS = (
    "начал", "нач", "конц", "конец", "кон", "середин", "сер", "ранн", "поздн", "весн", "лет", "осен", "зим",
    "пачат", "пач", "канц", "канец", "сярэдзін", "вясн", "улетку", "восен", "зім",
    "early", "late", "mid", "beginning", "end", "middle", "spring", "summer", "autumn", "fall", "winter",
)  # fmt: skip
_PERIOD_PART_AND_DATE = re.compile(
    r"^(?P<words>.*?[^\W\d_]\.?)[\s-]+(?:of\s+)?(?P<date>(?:[^\W\d_]+\.?\s+)?\d{4}\D*)$"
)
_LITTLE_WORDS = {"в", "во", "у", "ў", "in", "the", "of", "года", "году"}
_NOT_A_DATE = gettext_noop(
    "%(value)s is not a date (expected e.g. 12.03.2021, 03.2021, 2021, 2021-03-12, 12 марта 2021)"
)
_PART_OF_A_PERIOD = gettext_noop(
    "%(value)s: %(words)s names a part of %(period)s, which a date cannot hold: write %(period)s, or the exact "
    "date if it is known"
)
_WORDS_BESIDE_A_DATE = gettext_noop(
    "%(value)s: the words %(words)s beside the date are not read: write the date alone (%(date)s), and the "
    "words in a note"
)


def _why_no_date(written: str, text: str, today: dt.date) -> Message:
    """Why a cell is no date, as specific as the cell allows: a part of a year or a month ("начало 2021"), words
    beside a date ("12.03.2021 (повторно)"), else the forms a date may take."""
    if (found := _PERIOD_PART_AND_DATE.match(text)) and _names_a_period_part(found["words"]):
        try:
            period = parse_date(found["date"], today)
        except CellError:
            period = None
        if period is not None:
            words = repr(found["words"])
            return Message(_PART_OF_A_PERIOD, value=repr(written), words=words, period=str(period))
    for pattern, digits in _STATUS_DATES:  # the forms of a date inside a text, as a status cell writes one
        for date in pattern.finditer(text):
            rest = (text[: date.start()] + " " + text[date.end() :]).strip(" ,;:-–—")
            if not _WORD.search(rest) or re.search(r"\d", rest):
                continue  # no words, or another number ("зима 2020/2021", two dates): the forms are said
            try:
                parse_date(date.group(), today)
            except CellError as error:
                if digits:
                    return error.message  # "31.02.2021 (повторно)": not a real date
                continue
            return Message(_WORDS_BESIDE_A_DATE, value=repr(written), words=repr(rest), date=date.group())
    return Message(_NOT_A_DATE, value=repr(written))


def _names_a_period_part(words: str) -> bool:
    """Whether every word of `words` (but "в", "of" …) names a part of a year or a month: "в начале", "нач.",
    "late", "осенью"."""
    named = [word.lower() for word in _WORD.findall(words) if word.lower() not in _LITTLE_WORDS]
    return bool(named) and all(word.startswith(_PERIOD_PARTS) for word in named)


# The first year a date on a list of living prisoners can have (as for Excel serials, above).
_FIRST_PLAUSIBLE = dt.date(1928, 1, 1)


def _short_year(day: int, month: int, short: int, text: str, today: dt.date) -> PartialDate:
    """'12.03.21': the century whose date falls from 1928 to today, the span every birth, detention, verdict
    and release on a list falls in; a year that fits both centuries (or neither) is refused, not guessed."""
    readings = []
    for year in (1900 + short, 2000 + short):
        date = _make(year, month, day, text)
        if _FIRST_PLAUSIBLE <= date.value <= today:
            readings.append(date)
    if len(readings) == 1:
        return readings[0]
    raise CellError(
        Message(
            gettext_noop(
                "%(value)s: a two-digit year is read only when one century gives a date from 1928 to "
                "today (here %(earlier)s or %(later)s): write the year in full, e.g. 12.03.2021"
            ),
            value=repr(text),
            earlier=1900 + short,
            later=2000 + short,
        )
    )


def _excel_serial(number: float) -> PartialDate:
    # NaN, a fraction (1985.5 is no year and no day) or out of range
    if number != number or not float(number).is_integer() or not _EXCEL_MIN <= number <= _EXCEL_MAX:
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s is not a date: a number in a date cell is a year (%(first)s to %(last)s) "
                    "or a whole Excel date number (%(low)s to %(high)s)"
                ),
                value=repr(number),
                first=_YEAR_MIN,
                last=_YEAR_MAX,
                low=_EXCEL_MIN,
                high=_EXCEL_MAX,
            )
        )
    # A workbook saved in the 1904 date system (old Mac Excel) counts from 1904-01-01: the reader gives its
    # numbers with their epoch (readers.Number1904).
    epoch = getattr(number, "epoch", _EXCEL_EPOCH)
    return PartialDate(epoch + dt.timedelta(days=int(number)), DAY)


# ---- articles ---------------------------------------------------------------------------------------------

# A part: "ч.1", "ч. 1-2", "ч.ч. 1", "часть 2", "частка 2", "part 2". A range of parts is read only right after
# the word: elsewhere "342-1" is an article number (УК 342-1 exists), so "342 1-2" is not read as parts.
_PART_WORD = r"(?<![^\W\d_])(?:ч\.?\s*ч|чч|ч|част(?:ь|и|ью|ей|ка|кі)|parts?|p\.)"
_PART = re.compile(_PART_WORD + r"\.?\s*(\d{1,2})(?:\s*[-‑–]\s*(\d{1,2}))?(?!\d)", re.I)
# A part in brackets right after its article: "342(1)", "Article 130 (3)".
_BRACKET_PART = re.compile(r"(?<=\d)\s*\(\s*(\d{1,2})\s*\)")
_DANGLING_PART = re.compile(_PART_WORD + r"(?![^\W\d_])", re.I)
# A lone digit opening a piece is a further part ("342 ч.1 и 2", "ч.ч. 1, 2 ст. 342"): articles have two or
# three digits, so a single one is never an article.
_BARE_PART = re.compile(r"\s*(\d)(?![\d.,‑–-]*\d)")
# Criminal code articles are whole numbers (342, 361-1); the codes of administrative offences (2003, 2021)
# number theirs chapter.article (24.23, 19.11), a dotted number kept whole. An article inserted after another
# is printed with a superscript (361¹) and typed 361-1, 361^1 or 361¹: one article, not 361.
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_ARTICLE = re.compile(
    r"(?<!\d)(\d{1,2}\.\d{1,2}|\d{2,3}(?:\s*[-‑–^]\s*\d{1,2}|"
    + f"[{_SUPERSCRIPT_DIGITS}]{{1,2}}"
    + r")?)(?![\d.]*\d)"
)
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")
# A digit the article and its parts leave in a piece ("361 1": 361-1, or part 1 of 361?).
_LEFT_DIGITS = re.compile(f"[\\d{_SUPERSCRIPT_DIGITS}]+")
_ADMIN_CODE = re.compile(r"коап|каап|ккап|административн|адміністрацыйн|administrative", re.I)
_CRIMINAL_CODE = re.compile(r"\bук\b|\bкк\b|уголовн|крымінальн|criminal", re.I)
_SPLIT = re.compile(r"[,;/\n]|\s+(?:и|і|and)\s+")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
CODES = ("CC-BY", "AC-BY")
_NO_ARTICLE_NUMBER = gettext_noop("%(value)s: no article number (expected e.g. 342 ч.1, 361-1, 24.23 КоАП)")
_PART_NOT_A_NUMBER = gettext_noop("%(value)s: the part must be a number, e.g. 1")


def parse_articles(value: object) -> list[dict[str, str]]:
    """'342 ch.1, 361-1' -> [{code, article, part}, {code, article}]: each article's code is the one named
    next to it (УК/КК: CC-BY, КоАП/КаАП: AC-BY), else the one its number's form belongs to. Several parts of
    one article ('342 ч.1 и 2', 'ч.ч. 1, 2 ст. 342', '342 ч. 1-2') give one entry each; an entry is kept once.
    In a list (JSON), {code, article, part} objects (as the export writes them) are taken as given, checked;
    texts are read."""
    if isinstance(value, list):
        found: list[dict[str, str]] = []
        for item in value:
            if isinstance(item, str | int) and not isinstance(item, bool):  # ["342 ч.1", 361]: texts
                found += parse_articles(str(item))
            else:
                found.append(_structured_article(item))
        return found
    # One article per line is a list too: the line breaks are separators before the spaces are folded.
    text = " ".join(_LINE_BREAK.sub("; ", str(value or "")).split())
    return [dict(a) for a in _parse_articles(one_script_words(text))]


@lru_cache(maxsize=20_000)
def _parse_articles(text: str) -> tuple[dict[str, str], ...]:
    return tuple(_articles(text))


@dataclass
class _Group:
    """One article and its parts, written over one piece of a cell or several ("ст. 342 ч. 1, 2 УК")."""

    number: str
    parts: list[str]
    start: int
    end: int
    # Written article first ("342 ч.1"): a following "и ч.2" or "и 2" is another part of it.
    open: bool


_TWO_ARTICLES = gettext_noop(
    "%(value)s: two article numbers with nothing between them; separate the articles with commas"
)
# An acquittal written beside the articles ("342, 130 (оправдан по 130)", "130 - оправдана"): the case's articles
# are what a person was charged or convicted under, and no field holds that one of them ended in an acquittal.
# Not the noun "оправдание" / "апраўданне" (justification), as an article's title says it: "(оправдание
# терроризма)".
_ACQUITTAL = re.compile(r"(?<![^\W\d_])(?:оправда(?!ни)|апраўда(?!нн)|acquit)[^,;()\[\]]*", re.I)
_ACQUITTED = gettext_noop(
    "%(value)s: %(words)s tells of an acquittal, which the case's articles cannot hold: list the articles alone "
    "and write the acquittal in a note"
)
# Words in brackets are read as words about the article beside them, and left out; a number among them may be
# another article ("342 (ранее ст. 130)"), which is never dropped.
_BRACKET_WORDS = re.compile(r"[(\[]([^()\[\]]*[^\W\d_][^()\[\]]*)[)\]]")
_ARTICLE_IN_BRACKETS = gettext_noop(
    "%(value)s: the words in brackets, %(words)s, hold an article number, but words in brackets are left out: "
    "write each article outside the brackets, separated by commas, and the words in a note"
)
# "130.3": Belarus's criminal code numbers its articles whole (an inserted one hyphenated, 361-1), and its codes
# of administrative offences chapter.article with a one- or two-digit chapter (24.23): three digits before a dot
# are neither. A list means part 3 of article 130 by it, or (as Russia's code numbers inserted articles, 282.1) an
# article inserted after 130: which one cannot be told, so it is refused with both readings.
_DOTTED_NUMBER = re.compile(r"(?<![\d.])(\d{3})\s*\.\s*(\d{1,2})(?![\d.]*\d)")
_NEITHER_CODES_NUMBER = gettext_noop(
    "%(value)s: %(number)s is numbered as neither code numbers its articles (criminal: 342, 361-1; "
    "administrative: 24.23): write %(article)s ч.%(part)s for its part %(part)s, or %(article)s-%(part)s for "
    "the article inserted after %(article)s"
)
_NUMBER_NOT_READ = gettext_noop(
    "%(value)s: %(number)s is neither an article nor a part (write e.g. 361-1 for an article, "
    "361 ч.1 for a part of one)"
)


def _articles(text: str) -> list[dict[str, str]]:
    if acquittal := _ACQUITTAL.search(text):
        raise CellError(Message(_ACQUITTED, value=repr(text), words=repr(acquittal.group().strip())))
    groups: list[_Group] = []
    # Parts written before their article ("ч.1 и ч.2 ст.342"), and where they stand in the text.
    waiting: list[str] = []
    waiting_start = waiting_end = 0
    for start, end in _pieces(text):
        piece = text[start:end]
        parts, first_part, masked = _parts(piece)
        for words in _BRACKET_WORDS.finditer(masked):
            if _ARTICLE.search(words.group(1)):  # "342 (ранее ст. 130)"
                raise CellError(
                    Message(
                        _ARTICLE_IN_BRACKETS,
                        value=repr(piece),
                        words=repr(piece[words.start(1) : words.end(1)]),
                    )
                )
        if dotted := _DOTTED_NUMBER.search(masked):  # "130.3"
            raise CellError(
                Message(
                    _NEITHER_CODES_NUMBER,
                    value=repr(piece),
                    number=dotted.group(),
                    article=dotted.group(1),
                    part=dotted.group(2),
                )
            )
        article = _ARTICLE.search(masked)
        bare = _BARE_PART.match(masked)
        if article:
            if _ARTICLE.search(masked, article.end()):  # "342 ч.1 369": two articles, no separator
                raise CellError(Message(_TWO_ARTICLES, value=repr(piece)))
            left = masked[: article.start()] + masked[article.end() :]
            if bare and waiting:
                parts.insert(0, bare.group(1))
                left = masked[bare.end() : article.start()] + masked[article.end() :]
            if digits := _LEFT_DIGITS.search(left):  # "342 и 361 1", "342 ч.1 (2 эпизода)": never dropped
                raise CellError(Message(_NUMBER_NOT_READ, value=repr(piece), number=digits.group()))
            after = bool(parts) and first_part > article.start()
            if waiting and after:  # "ч.1 и 342 ч.2": whose part is 1?
                raise CellError(Message(_NO_ARTICLE_NUMBER, value=repr(text[waiting_start:waiting_end])))
            number = _article_number(article.group(1))
            group_start = waiting_start if waiting else start
            groups.append(_Group(number, waiting + parts, group_start, end, after))
            waiting = []
            continue
        if bare and not parts:
            rest = masked[bare.end() :]
            if rest.strip(" .()") and not (_CRIMINAL_CODE.search(rest) or _ADMIN_CODE.search(rest)):
                raise CellError(Message(_NO_ARTICLE_NUMBER, value=repr(piece)))  # "342 ч.1, 2 эпизода"
        more = ([bare.group(1)] if bare else []) + parts
        if not more:
            raise CellError(Message(_NO_ARTICLE_NUMBER, value=repr(piece)))
        if waiting:
            waiting += more
            waiting_end = end
        elif groups and groups[-1].open:
            groups[-1].parts += more
            groups[-1].end = end
        elif parts:
            waiting, waiting_start, waiting_end = more, start, end
        else:  # a lone digit with nothing to be a part of
            raise CellError(Message(_NO_ARTICLE_NUMBER, value=repr(piece)))
    if waiting:  # parts whose article never came: "ч.2", "ч.1 ст.342 и ч.2"
        raise CellError(Message(_NO_ARTICLE_NUMBER, value=repr(text[waiting_start:waiting_end])))
    found: list[dict[str, str]] = []
    for group in groups:
        code = _code(text[group.start : group.end], group.number)
        for part in group.parts or [""]:
            entry = {"code": code, "article": group.number}
            if part:
                entry["part"] = part
            if entry not in found:
                found.append(entry)
    return found


def _article_number(written: str) -> str:
    """'361-1', '361 – 1', '361^1' and '361¹' as the registry keeps them: '361-1'."""
    number = re.sub(r"\s*[-‑–^]\s*", "-", written)
    if number[-1] in _SUPERSCRIPT_DIGITS:
        whole = number.rstrip(_SUPERSCRIPT_DIGITS)
        number = whole + "-" + number[len(whole) :].translate(_FROM_SUPERSCRIPT)
    return number


def _pieces(text: str) -> list[tuple[int, int]]:
    """Where the pieces between commas, semicolons and "и" stand in the text, blanks trimmed, empty ones left out.
    A comma inside brackets splits nothing: "342 ч.1 (организация действий, грубо нарушающих …)" is one article
    and its words."""
    inside = _bracketed(text)
    bounds = [0]
    for split in _SPLIT.finditer(text):
        if inside[split.start()]:
            continue
        bounds += [split.start(), split.end()]
    bounds.append(len(text))
    spans = []
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _bracketed(text: str) -> list[bool]:
    """For each character of the text, whether it stands inside round or square brackets (an unclosed one runs to
    the end: "342 (организация действий, грубо" is one piece still)."""
    inside, depth = [], 0
    for char in text:
        if char in ")]":
            depth = max(depth - 1, 0)
        inside.append(depth > 0)
        if char in "([":
            depth += 1
    return inside


def _parts(piece: str) -> tuple[list[str], int, str]:
    """The parts a piece names, where the first of them stands, and the piece with them blanked out."""
    parts: list[str] = []
    first = -1
    for match in _PART.finditer(piece):
        low, high = match.group(1), match.group(2)
        if high is None:
            parts.append(low)
        elif int(low) < int(high):
            parts += [str(n) for n in range(int(low), int(high) + 1)]
        else:  # "ч. 2-1"
            raise CellError(Message(_PART_NOT_A_NUMBER, value=repr(piece)))
        if first < 0:
            first = match.start()
    for match in _BRACKET_PART.finditer(piece):
        parts.append(match.group(1))
        first = match.start() if first < 0 else min(first, match.start())
    masked = _PART.sub(lambda match: " " * len(match.group()), piece)
    masked = _BRACKET_PART.sub(lambda match: " " * len(match.group()), masked)
    if _DANGLING_PART.search(masked):  # "342 ч.", "ч.ч. ст. 342": a part word with no number
        raise CellError(Message(_PART_NOT_A_NUMBER, value=repr(piece)))
    return parts, first, masked


def _code(piece: str, number: str) -> str:
    admin, criminal = bool(_ADMIN_CODE.search(piece)), bool(_CRIMINAL_CODE.search(piece))
    dotted = "." in number
    if criminal and not admin and dotted:
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: %(article)s is numbered as in the code of administrative offences, "
                    "but the criminal code is named"
                ),
                value=repr(piece),
                article=number,
            )
        )
    if admin and not criminal:
        return "AC-BY"
    if criminal and not admin:
        return "CC-BY"
    return "AC-BY" if dotted else "CC-BY"


_ARTICLE_NUMBER = re.compile(r"\d{1,2}\.\d{1,2}|\d{2,3}(?:-\d{1,2})?")


def _structured_article(item: object) -> dict[str, str]:
    """One {code, article, part} of a JSON file, as the export writes it; checked, not re-read as text."""
    shown = repr(item)[:80]
    if not isinstance(item, dict):
        raise CellError(
            Message(
                gettext_noop("%(value)s: an article must be a text or an object {code, article, part}"),
                value=shown,
            )
        )
    number = str(item.get("article") if item.get("article") is not None else "").strip()
    if not _ARTICLE_NUMBER.fullmatch(number):
        raise CellError(Message(_NO_ARTICLE_NUMBER, value=shown))
    code = str(item.get("code") or ("AC-BY" if "." in number else "CC-BY"))
    if code not in CODES:
        raise CellError(
            Message(
                gettext_noop("%(value)s: unknown code %(code)s (%(known)s)"),
                value=shown,
                code=repr(code),
                known=list(CODES),
            )
        )
    entry = {"code": code, "article": number}
    part = item.get("part")
    if part not in (None, ""):
        if not re.fullmatch(r"\d{1,2}", str(part).strip()):
            raise CellError(Message(_PART_NOT_A_NUMBER, value=shown))
        entry["part"] = str(part).strip()
    return entry


# ---- sentences --------------------------------------------------------------------------------------------

# Numbers written as words, in ru, be and en, up to the twenties (no term of years or months is longer).
_UNIT_WORDS = {
    **dict.fromkeys(["один", "одна", "адзін", "адна", "one"], 1),
    **dict.fromkeys(["два", "две", "дзве", "two"], 2),
    **dict.fromkeys(["три", "тры", "three"], 3),
    **dict.fromkeys(["четыре", "чатыры", "four"], 4),
    **dict.fromkeys(["пять", "пяць", "five"], 5),
    **dict.fromkeys(["шесть", "шэсць", "six"], 6),
    **dict.fromkeys(["семь", "сем", "seven"], 7),
    **dict.fromkeys(["восемь", "восем", "eight"], 8),
    **dict.fromkeys(["девять", "дзевяць", "nine"], 9),
}
_TEEN_WORDS = {
    **dict.fromkeys(["десять", "дзесяць", "ten"], 10),
    **dict.fromkeys(["одиннадцать", "адзінаццаць", "eleven"], 11),
    **dict.fromkeys(["двенадцать", "дванаццаць", "twelve"], 12),
    **dict.fromkeys(["тринадцать", "трынаццаць", "thirteen"], 13),
    **dict.fromkeys(["четырнадцать", "чатырнаццаць", "fourteen"], 14),
    **dict.fromkeys(["пятнадцать", "пятнаццаць", "fifteen"], 15),
    **dict.fromkeys(["шестнадцать", "шаснаццаць", "sixteen"], 16),
    **dict.fromkeys(["семнадцать", "сямнаццаць", "seventeen"], 17),
    **dict.fromkeys(["восемнадцать", "васямнаццаць", "eighteen"], 18),
    **dict.fromkeys(["девятнадцать", "дзевятнаццаць", "nineteen"], 19),
}
_TWENTY_WORDS = {"двадцать": 20, "дваццаць": 20, "twenty": 20}
# "полгода", "паўгода": half a year.
_FRACTION_WORDS = {"полтора": 1.5, "паўтара": 1.5, "пол": 0.5, "паў": 0.5}
_WORD_NUMS = {**_UNIT_WORDS, **_TEEN_WORDS, **_TWENTY_WORDS, **_FRACTION_WORDS}


def _alternatives(words: dict[str, float]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # "семнадцать" before "семь", "пол" after "полтора"


# A number (digits, or words: "шесть", "двадцать пять", "twenty-five"), and then "с половиной" (and a half).
_NUM = (
    r"(\d+(?:[.,]\d+)?|(?<![^\W\d_])(?:"
    + rf"(?:{_alternatives(_TWENTY_WORDS)})(?:[\s-]+(?:{_alternatives(_UNIT_WORDS)}))?"
    + f"|{_alternatives(_TEEN_WORDS)}|{_alternatives(_FRACTION_WORDS)}|{_alternatives(_UNIT_WORDS)}"
    + r"))(\s+(?:с\s+половин\w*|з\s+палов\w*|and\s+a\s+half))?"
)
# Lists shorten the units with a dot or without one: "2 г. 6 м.", "2 г 6 мес", "2г 6м", and "л." for лет ("3
# л."). A one-letter form stands alone ("г" then no letter), so "2 гады" is not "2 г" and "ады".
_YEAR_UNIT = r"(?:года|год|лет|гадоў|гады|years?|yrs?|y\b|[гл](?:\.|(?![^\W\d_])))"
# "м." and "мес." are months ("2 г. 6 м."), as "m" is in English.
_MONTH_UNIT = r"(?:месяц\w*|мес\.?|месяцаў|месяцы|months?|mos?\.?|m\b|м(?:\.|(?![^\W\d_])))"
_YEARS = re.compile(_NUM + r"\s*" + _YEAR_UNIT, re.I)
_MONTHS_RE = re.compile(_NUM + r"\s*" + _MONTH_UNIT, re.I)
# A range or a choice of terms ("3-5 лет", "от 3 до 5 лет", "3 года или 4 года") is no sentence a court gives:
# read as one of its numbers it would be a made-up term. A dash counts only between bare numbers, as "2 г.-6
# м." is one term of years and months.
_UNIT = f"(?:{_YEAR_UNIT}|{_MONTH_UNIT})"
_RANGE_OR_CHOICE = re.compile(
    rf"{_NUM}\s*[-‑–—]\s*{_NUM}\s*{_UNIT}"
    rf"|{_NUM}\s*(?:{_UNIT}\s*)?(?<![^\W\d_])(?:до|да|или|ці|або|or|to)\s+{_NUM}\s*{_UNIT}",
    re.I,
)
# Every word for a term of years or months: one left where no term was read is a term left unread.
_TERM_WORDS = re.compile(
    r"(?<![^\W\d_])(?:год|года|лет|гады|гадоў|years?|месяц\w*|мес|months?)(?![^\W\d_])", re.I
)
# Any number, in digits or in words: one left where no term, fine or place was read is a term left unread
# ("2 г 6 мес" read as 6 months lost its years when "г" was no unit).
_ANY_NUMBER = re.compile(rf"\d|(?<![^\W\d_])(?:{_alternatives(_WORD_NUMS)})(?![^\W\d_])", re.I)
# Days are an administrative arrest ("15 суток"), or the days of a longer term: no number of months.
_DAYS = re.compile(
    _NUM + r"\s*(?:сут(?:ок|ки|кі|ак)?\.?|дн(?:ей|я|ь)|дзён|дні|дзень|days?)(?![^\W\d_])", re.I
)
_REGIMES = [
    # Order matters: "особого режима" before "общего", "тюрьм" before "колони".
    ("special", re.compile(r"особ\w+ режим|асабл\w+ рэжым|\bspecial\b", re.I)),
    ("strict", re.compile(r"строг\w*|строгі\w*|\bstrict\b", re.I)),
    ("strengthened", re.compile(r"усиленн\w*|[уў]змоцнен\w*|\bstrengthened\b|\breinforced\b", re.I)),
    ("general", re.compile(r"общ\w+ режим|агульн\w+ рэжым|\bgeneral\b", re.I)),
    ("prison", re.compile(r"тюр[ьм]\w*|турм\w*|\bprison\b", re.I)),
]
_HOME = re.compile(
    r"домашн\w* хими|хатн\w* хімі|без направлени|без накіраван|without (?:a )?referral|without being sent"
    r"|\bat home\b|\bhome\b",
    re.I,
)
_OPEN = re.compile(
    r"хими|хімі|ограничени\w* свобод|абмежаван\w* вол|restricted freedom|restriction of liberty", re.I
)
# English words with word boundaries: "fine" is inside "confinement", "life" inside "lifelong".
_FINE = re.compile(r"штраф|\bfined?\b", re.I)
# Arrest (арест, арышт) as a penalty, in any case ("арест 3 месяца", "3 месяца ареста"); house arrest is none.
_ARREST = re.compile(
    r"(?<!домашний )(?<!хатні )(?<![^\W\d_])(?:арест|арышт)(?:а|у|ом|ам|е)?(?![^\W\d_])|(?<!house )\barrest\b",
    re.I,
)
_LIFE = re.compile(r"пожизненн|пажыццёв|\blife\b", re.I)
# A suspended sentence (условное осуждение, УК ст. 78; probation) keeps no one in custody; "условно-досрочное"
# is parole, a release, not a penalty. So does a deferred execution (отсрочка исполнения приговора, УК ст. 77:
# "3 года с отсрочкой на 1 год"), which the registry has no regime for either.
_SUSPENDED = re.compile(
    r"условн\w*\b(?!-досрочн)|[уў]моўн\w*\b(?!-датэрмінов)|\bsuspended\b|\bprobation\b"
    r"|отсрочк\w*|адтэрміноўк\w*|\bdeferr\w*|\bdeferment\b",
    re.I,
)
# Of those, a deferral of the sentence (rather than a suspended one): another penalty in the court's words.
_DEFERRED = re.compile(r"отсрочк\w*|адтэрміноўк\w*|\bdeferr\w*|\bdeferment\b", re.I)


def suspension_kind(words: str) -> str:
    """ "deferred", "suspended", or "" (neither said) for a sentence's words."""
    words = one_script_words(words)  # a stored note is read as a cell is
    if _DEFERRED.search(words):
        return "deferred"
    return "suspended" if _SUSPENDED.search(words) else ""


_COLONY = re.compile(r"колони|калоні|лишени\w* свобод|пазбаўлен\w* вол|colony|imprisonment|deprivation", re.I)


def names_custody(words: str) -> bool:
    """Whether a sentence's words name a penalty of custody with no regime ("3 года колонии", "лишение
    свободы", "imprisonment", "арест 3 месяца"), and no suspension or deferral of it."""
    words = one_script_words(words)
    if _SUSPENDED.search(words) or _PROBATION_AFTER.search(words) or _PROBATION_BEFORE.search(words):
        return False
    return bool(_COLONY.search(words) or _ARREST.search(words))


def names_arrest(words: str) -> bool:
    """Whether a sentence's words name arrest (арест, арышт: a penalty of its own, served in a house of arrest),
    not a colony or deprivation of liberty."""
    words = one_script_words(words)
    return bool(_ARREST.search(words)) and not _COLONY.search(words)


# A term of probation or deferral beside the main term: after its words ("с испытательным сроком 2 года", "с
# отсрочкой на 1 год", "probation of 2 years") or before them ("2 years probation").
_PROBATION_WORDS = (
    r"(?:испытательн\w*\s+срок\w*|выпрабавальн\w*\s+тэрмін\w*|probation(?:\s+period)?|отсрочк\w*|"
    r"адтэрміноўк\w*|deferr\w*|deferment)"
)
# A term as a probation's is written: years, months, or both ("1 год 6 месяцев").
_PROBATION_TERM = (
    _NUM
    + r"\s*(?:"
    + _YEAR_UNIT
    + "|"
    + _MONTH_UNIT
    + r")(?:\s*(?:и|і|and)?\s*"
    + _NUM
    + r"\s*"
    + _MONTH_UNIT
    + r")?"
)
_PROBATION_AFTER = re.compile(
    _PROBATION_WORDS
    + r"(?:\s+(?:исполнения|выканання|выконвання|of\s+execution)(?:\s+(?:приговора|прысуду|наказания|of\s+"
    r"(?:the\s+)?sentence))?)?(?:\s+(?:на|of|for))?\s+(?P<term>" + _PROBATION_TERM + ")",
    re.I,
)
_PROBATION_BEFORE = re.compile(r"(?P<term>" + _PROBATION_TERM + r")\s+(?:of\s+)?" + _PROBATION_WORDS, re.I)


def probation_months(words: str) -> int | None:
    """The term of probation or deferral a sentence's words give beside the main term, in months; None if
    they give none (or one that cannot be read)."""
    words = one_script_words(words)
    found = _PROBATION_AFTER.search(words) or _PROBATION_BEFORE.search(words)
    if found is None:
        return None
    term = found.group("term")
    years, months = _YEARS.search(term), _MONTHS_RE.search(term)
    try:
        total = (_number(years, "years", words) * 12 if years else 0) + (
            _number(months, "months", words) if months else 0
        )
    except CellError:
        return None
    return int(total)


# Further penalties a sentence names beside the main one, which the registry has no field for: the words are kept.
_EXTRA_PENALTY = re.compile(
    r"конфискац|канфіскац|confiscat|лишени\w* прав|пазбаўлен\w* прав|запрет\w* занимать|забарон|deprivation of the right"
    r"|\bban\b",
    re.I,
)


_DEATH_PENALTY = re.compile(
    r"смертн\w* казн|расстрел|смяротн\w* пакаранн|расстрэл|death (?:penalty|sentence)", re.I
)


# An article a sentence cell names ("по ст. 342", "ч.2 ст. 342", "article 130"): its number is no term ("по ст.
# 342 - 2 года" is no range of 342 to 2 years), and a term after each of two articles is a term per article.
_ARTICLE_NAMED = re.compile(
    r"(?<![^\W\d_])(?:(?:по|па|under)\s+)?(?:ч\.?\s*\d{1,2}\s*)?(?:ст\.?|стать\w*|артыкул\w*|арт\.|art\.|articles?)"
    # An inserted article's number (361-1) is not the dash and term after an article ("342 - 2 года").
    r"\s*(?:\d{1,2}\.\d{1,2}|\d{2,3}(?:\s*[-‑–^]\s*\d{1,2}(?!\d)(?!\s*" + _UNIT + r"))?)(?!\d)"
    r"(?:\s*ч\.?\s*\d{1,2}(?!\d))?",
    re.I,
)
_TERMS_PER_ARTICLE = gettext_noop(
    "%(value)s: a term for each article is not read, as the registry holds the one term the court set in all: "
    "write that term first (e.g. '3 года, по ст. 342 - 2 года, по ст. 130 - 3 года') or alone"
)


def _without_articles(terms: str, text: str) -> str:
    """The sentence's terms with the articles it names blanked out; a sentence that gives a term for each of two
    articles or more reads the total before them ("3 года лишения свободы, по ст. 342 - 2 года, по ст. 130 - 3
    года" is 3 years), and without a total is refused (the total is no sum of them: terms are served together)."""
    named = list(_ARTICLE_NAMED.finditer(terms))
    if not named:
        return terms
    ends = [found.start() for found in named[1:]] + [len(terms)]
    per_article = sum(
        1
        for found, end in zip(named, ends, strict=True)
        if _YEARS.search(terms[found.end() : end]) or _MONTHS_RE.search(terms[found.end() : end])
    )
    if per_article > 1:
        head = terms[: named[0].start()]
        if not (_YEARS.search(head) or _MONTHS_RE.search(head)):
            raise CellError(Message(_TERMS_PER_ARTICLE, value=repr(text)))
        return head + " " * (len(terms) - len(head))
    return _ARTICLE_NAMED.sub(lambda found: " " * len(found.group()), terms)


@dataclass(frozen=True)
class Sentence:
    """A term in months, a regime (registry Regime values), the fine's words as pronounced, and the cell's own
    words in the note when a part of it was not read."""

    months: int | None
    regime: str
    fine_amount: str = ""
    note: str = ""


# The longest term a sentence is read with: a hundred years (no court's is longer; "9999 лет" is a typing
# error, and a term past the database's integer broke the import).
MAX_TERM_MONTHS = 1200


def term_months(text: str) -> int:
    """A term written as a number of months (a `sentence_months` cell: "36", "36.0"); ValueError when it is
    not a whole number from 0 to MAX_TERM_MONTHS ("2.5", "-1", "inf")."""
    found = re.fullmatch(r"\s*(\d{1,4})(?:[.,]0*)?\s*", text)  # (not "1e3", "1_200": float would read them)
    if found is None or int(found[1]) > MAX_TERM_MONTHS:
        raise ValueError(f"{text!r}: not a term in whole months")
    return int(found[1])


def _too_long(sentence: str) -> CellError:
    return CellError(
        Message(
            gettext_noop("%(value)s: a term longer than %(most)s years is not read (a typing error?)"),
            value=repr(sentence[:60]),
            most=MAX_TERM_MONTHS // 12,
        )
    )


def _number(term: re.Match[str], whole: str, sentence: str) -> float:
    """A number of years (whole or a half: 1,5, "с половиной") or months (whole); "2,3 года" is refused, and
    so is a term longer than MAX_TERM_MONTHS."""
    written, half = term.group(1).lower(), term.group(2)
    if written[0].isdigit():
        number = float(written.replace(",", "."))
    else:  # "шесть", "двадцать пять", "twenty-five"; a float, as int has no is_integer before Python 3.12
        number = float(sum(_WORD_NUMS[word] for word in re.split(r"[\s-]+", written)))
    if half:
        number += 0.5
    if number * (12 if whole == "years" else 1) > MAX_TERM_MONTHS:
        raise _too_long(sentence)
    if number * 2 != int(number * 2) or (whole == "months" and not number.is_integer()):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: %(number)s is not a whole number of years or months "
                    "(write e.g. '2 года 3 месяца', '1,5 года')"
                ),
                value=repr(sentence),
                number=(written + (half or "")).replace(".", ","),
            )
        )
    return number


# A sentence's parts: "3 года колонии и штраф 200 базовых величин", "…, штраф …", "… + штраф …".
_CLAUSE_SPLIT = re.compile(r"\s*[,;+]\s*|\s+(?:и|і|and|плюс)\s+", re.I)


def _fine_words(text: str) -> str:
    """The words of a fine pronounced beside another penalty ("штраф 200 базовых величин"); empty when the
    fine cannot be told apart from the term ("2 года со штрафом …": one clause)."""
    for clause in _CLAUSE_SPLIT.split(text):
        if _FINE.search(clause):
            if _YEARS.search(clause) or _MONTHS_RE.search(clause):
                return ""
            return clause.strip()
    return ""


# A fine's amounts as its words give them: "100 базовых величин", "100 базавых велічынь", "200 БВ", "100 base
# units" (the base unit, базовая величина, in which Belarusian fines are set) or "2 900 рублей", "2900 BYN".
_FINE_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,](\d+))?\s*"
    r"(?:(?P<base>базов|базав|б\.?\s?в\b|base\b|base unit|bv\b)|(?P<rub>руб|р\.|byn|бел\w*\s*руб|rub))?",
    re.I,
)


def fine_amounts(words: str) -> tuple[tuple[str, str], ...]:
    """A fine's amounts, each with its unit ("base", "rub", or "" when the words name none): what two lists'
    words for one fine ("штраф 100 базовых величин", "штраф 100 базавых велічынь") have in common."""
    found = []
    for m in _FINE_AMOUNT.finditer(one_script_words(words)):
        number = re.sub(r"\s", "", m.group(1)) + (f".{m.group(2).rstrip('0')}" if m.group(2) else "")
        found.append((number.rstrip("."), "base" if m.group("base") else "rub" if m.group("rub") else ""))
    return tuple(found)


def fine_says_no_more(stored: str, given: str) -> bool:
    """Whether a fine's words (`given`) say nothing that the stored words do not: the same amounts in other
    words or another language, fewer of them, or none at all (a bare "штраф", "fine")."""
    kept = fine_amounts(stored)
    return all(
        any(number == other and unit in ("", other_unit) for other, other_unit in kept)
        for number, unit in fine_amounts(given)
    )


def _unread_number(terms: str, read: list[re.Match[str]]) -> bool:
    """Whether a number or a term word is left in the cell besides the terms read, outside a fine's clause
    (its amount is the fine's words)."""
    rest = list(terms)
    for found in read:
        rest[found.start() : found.end()] = " " * (found.end() - found.start())
    clauses = _CLAUSE_SPLIT.split("".join(rest))
    return any(
        _ANY_NUMBER.search(clause) or _TERM_WORDS.search(clause)
        for clause in clauses
        if not _FINE.search(clause)
    )


def parse_sentence(value: object) -> Sentence | None:
    """'3 года колонии усиленного режима', '2 years 6 months', 'штраф 100 б.в.', 'домашняя химия' -> Sentence."""
    return _parse_sentence(one_script_words(" ".join(str(value or "").split())))


@lru_cache(maxsize=20_000)
def _parse_sentence(text: str) -> Sentence | None:
    if not text:
        return None
    # A place named in the cell ("ИК-15 г. Гомель") is no term: "15 г." there is a number and a town.
    place = _FACILITY_NUMBER.search(text)
    terms = _FACILITY_NUMBER.sub(lambda found: " " * len(found.group()), text) if place else text
    # The articles named are no terms; the words naming them are kept in the note (below).
    articles = _without_articles(terms, text)
    named_articles, terms = articles != terms, articles
    if choice := _RANGE_OR_CHOICE.search(terms):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: %(terms)s is a range or a choice of terms, not the term a court gave: "
                    "write that one term (e.g. '3 года')"
                ),
                value=repr(text),
                terms=repr(choice.group().strip()),
            )
        )
    # A term of probation or deferral beside the main one is no part of it: "3 года условно с испытательным
    # сроком 24 месяца" was 60 months. The main term is read before it; the words are kept in the note.
    probation = _PROBATION_AFTER.search(terms) or _PROBATION_BEFORE.search(terms)
    if probation is not None:
        main = terms[: probation.start()] + " " * len(probation.group()) + terms[probation.end() :]
        if _YEARS.search(main) or _MONTHS_RE.search(main):
            terms = main  # (a cell whose only term is the probation's, "отсрочка 2 года", reads that one)
    years = _YEARS.search(terms)
    months_match = _MONTHS_RE.search(terms)
    days = _DAYS.search(terms)
    months: float | None = None
    if years or months_match:
        months = (_number(years, "years", text) * 12 if years else 0) + (
            _number(months_match, "months", text) if months_match else 0
        )
        if months > MAX_TERM_MONTHS:
            raise _too_long(text)  # "100 лет 11 месяцев"
    elif days:
        # An administrative arrest ("15 суток ареста"): the registry's terms are months and its regimes have no
        # arrest of days; 15 days as 0 or 1 month, or as "other penalty", would be made up.
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: a term of days (an administrative arrest) is not a sentence the registry holds "
                    "(its terms are months): record the detention and the release instead"
                ),
                value=repr(text),
            )
        )
    # A term of probation is a suspended term's ("3 года лишения свободы с испытательным сроком 2 года"), unless
    # the penalty is restricted freedom (its own regime).
    on_probation = probation is not None and not (_HOME.search(text) or _OPEN.search(text))
    if _SUSPENDED.search(text) or on_probation:
        # Registry regimes have no "suspended": "other penalty" is the one that is not custody
        # (custody.CUSTODIAL), and the note keeps the words; the term is the suspended one.
        return Sentence(int(months) if months is not None else None, "other", "", text)
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
        elif _FINE.search(text) and months is None and not _COLONY.search(text):
            # A term beside the fine ("3 года колонии и штраф …", "3 года и штраф …") is no plain fine.
            regime, fine = "fine", text
        elif _LIFE.search(text):
            regime = "special"
    if regime != "fine" and _FINE.search(text):  # a fine beside the term: its own words
        fine = _fine_words(text)
    if months is None and not regime and _DEATH_PENALTY.search(text):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: a death sentence is no penalty the registry's sentences hold: record the conviction "
                    "(its date in the verdict column) and write the sentence in a note"
                ),
                value=repr(text),
            )
        )
    # Arrest (a few months in an arrest house) is custody, but none of the registry's regimes is it, and "other
    # penalty" would read as no custody (custody.CUSTODIAL): no regime then, and the words in the note, as for
    # a bare "колония".
    if months is None and not regime and not _COLONY.search(text) and not _ARREST.search(text):
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
    # Nothing the cell says is lost: its words go to the note when a part of it was not read. A bare
    # "колония" names no regime (rather than guess one); a term not read ("строгого режима", a number or a
    # unit we do not know); days beside the months; a fine that cannot be told apart from the term.
    unread_term = (months is None and regime != "fine") or (
        regime != "fine" and _unread_number(terms, [found for found in (years, months_match, days) if found])
    )
    unread_fine = regime != "fine" and bool(_FINE.search(text)) and not fine
    # Words the structure has no field for: a further penalty, a place, the articles (and their terms).
    extra = bool(_EXTRA_PENALTY.search(text)) or place is not None or named_articles
    # Words beside the sentence after a comma or in brackets ("…, заочно", "… (в розыске)") are read by no part:
    # kept (records.py keeps bracketed words where only staff read them).
    beside = "," in text or ";" in text or "(" in text
    keep_words = (
        not regime or unread_term or bool(days) or unread_fine or extra or probation is not None or beside
    )
    return Sentence(int(months) if months is not None else None, regime, fine, text if keep_words else "")


# ---- status words -----------------------------------------------------------------------------------------

# Belarusian writes "ў" for a word's first "у" after a vowel ("знаходзіцца ў турме", "гады ўмоўна"): "[уў]".
_RELEASE_WORDS = [
    ("expelled", re.compile(r"выслан|вывезен|депорт|expel|deport|forc\w+ out|высланы|вывезены", re.I)),
    ("exchanged", re.compile(r"обмен|абмен|exchang", re.I)),
    ("pardon", re.compile(r"помилов|памілав|pardon", re.I)),
    ("amnesty", re.compile(r"амнист|амніст|amnest", re.I)),
    ("house_arrest", re.compile(r"домашн\w+ арест|хатн\w+ арышт|house arrest", re.I)),
    # "по отбытии срока", "в связи с окончанием срока", "по окончанию срока", "па заканчэнні тэрміну".
    (
        "end_of_term",
        re.compile(
            r"отбыл|отбыти|адбыў|адбыцц|окончани\w* срок|истечени\w* срок|заканчэнн\w* тэрмін"
            r"|сканчэнн\w* тэрмін|end of term|served|term ended",
            re.I,
        ),
    ),
]
# Death words win over the rest of the cell: "скончался в колонии" names the colony he died in.
_DIED = re.compile(r"умер|погиб|скончал|памёр|памер|загін|died|dead|deceased", re.I)
# "Бывший политзаключённый" (a former political prisoner) is released, though the cell says neither how nor when.
# Parole (УДО, условно-досрочное освобождение; УДВ in Belarusian) is a release: the registry has no kind for it,
# so it is "other".
_RELEASED = re.compile(
    "|".join(
        [
            r"освобожд|вызвал|released|free[d]?\b|на свободе|на свабодзе|на волі",
            r"вы(?:шел|шла|шли) на свобод|выйш(?:аў|ла|лі) на вол|walked free",
            r"бывш\w* полит|былы\w* паліт|former polit",
            r"\bУД[ОВ]\b|условно[- ]досрочн|[уў]моўна[- ]датэрмінов|\bparoled?\b",
        ]
    ),
    re.I,
)
# Held now, as Viasna's list and partners write it: in pre-trial detention, in a colony named by its
# abbreviation (в ИК-15, у ПК-17), serving, held. Only these contradict a date of release or death.
_HELD_NOW = re.compile(
    "|".join(
        [
            r"в заключении|за крат|[уў] турме|в тюрьме|в колони|[уў] калоні|за решётк|за решетк|[уў] зняволенні",
            r"под страж|пад варт|в сизо|[уў] сіза|в ивс",
            r"(?<![^\W\d_])[ву]\s+(?:ИК|ПК|ИУОТ|ЦИП|ЦІП)(?![^\W\d_])|(?<![^\W\d_])(?:ИК|ПК)\s*[-№]\s*\d",
            r"отбывает|адбывае|содержится|[уў]трымліваецца|этапирован|этапаван|сидит|на хими|на хімі",
            r"in custody|\bheld\b|imprisoned|jailed|serving|pre-?trial detention",
            r"in prison|in jail|in (?:a )?colony|behind bars",
        ]
    ),
    re.I,
)
# Where a release was from: "из ИК-15", "из-под стражи", "з калоніі", "from prison".
_RELEASED_FROM = re.compile(
    r"(?<![^\W\d_])(?:из-под|из|з-пад|з|from|out of)\s+(?:ИК|ПК|СИЗО|СІЗА|ИВС|ЦИП|ЦІП|колони\w*|калоні\w*|"
    r"тюрьм\w*|турм\w*|стражи|варты|заключени\w*|зняволенн\w*|prison|jail|custody|(?:a |the )?colony)"
    r"(?:\s*[-№]?\s*\d+)?",
    re.IGNORECASE,
)
# Past events of a person held (detained, arrested, convicted, sentenced; restricted freedom as the penalty
# given), and awaiting trial: known as a status of one held, but none says the person is held now, so none
# contradicts a later release ("осуждён" beside a release date is a released convict).
_HELD_BEFORE = re.compile(
    "|".join(
        [
            r"задержан|затрыман|арестован|арыштаван",
            r"осужд[её]н|асуджан|приговор[её]н|прысуджан|под следствием|пад следствам|ожидает суда|чакае суда",
            r"ограничени\w* свобод|абмежаван\w* волі|хими|хімі",
            r"detained|convicted|sentenced|arrested|pre-?trial|awaiting trial",
            r"restrict\w* (?:of )?(?:liberty|freedom)",
        ]
    ),
    re.I,
)
# Known words that keep no one in custody: a suspended sentence, restricted freedom at home.
_AT_LIBERTY = re.compile(
    r"условн|[уў]моўн|suspended|probation|отсрочк|адтэрміноўк|deferr|без направлени|без накіраван|without (?:a )?referral|without being sent"
    r"|домашн\w* хими|хатн\w* хіміі|в розыске|у вышуку|\bwanted\b",
    re.I,
)
# "палітвязень" (nominative), "палітвязня", "палітвязнем"; "палітзняволены".
_POLITICAL_PRISONER = r"политзаключ|палітвяз|палітзняволен|political prisoner"
_RECOGNITION_WORD = r"признан|прызнан|recogni[sz]ed"
_RECOGNIZED = re.compile(f"{_POLITICAL_PRISONER}|{_RECOGNITION_WORD}", re.I)
# A recognition denied or taken back ("не политзаключённый", "не признан", "снят статус политзаключённого",
# "recognition withdrawn") names the words of one: read as one, it made a person a political prisoner.
_DENIED = re.compile(
    r"(?<![^\W\d_])(?:не|ня|not|never|no longer)\s+"
    r"(?:(?:является|был[аио]?|быў|была|з['’]яўляецца|is|was|been|a|an)\s+)*"
    f"(?:{_POLITICAL_PRISONER}|{_RECOGNITION_WORD}|recogni)"
    r"|непризнан|непрызнан|unrecogni"
    r"|(?:лиш[её]н|пазбаўлен|снят|зняты)\w*\s+статус|статус\w*\s+(?:снят|зняты)",
    re.I,
)
# A release, a pardon or a death denied ("не освобождён", "не помилован", "not released") names the words of
# one: read as one, it released a person who is held.
_NEGATED = re.compile(
    r"(?<![^\W\d_])(?:не|ня|not|never)\s+(?:был[аио]?\s+|быў\s+|была\s+|been\s+|yet\s+)*"
    r"(?:освобожд\w*|вызвал\w*|помилов\w*|памілав\w*|амнистир\w*|амніст\w*|выслан\w*|обменян\w*"
    r"|умер\w*|памёр|памер\w*|released|pardoned|freed|amnestied|expelled|exchanged|died)",
    re.I,
)
_WITHDRAWN = re.compile(r"снят|зняты|отозван|адкліка|withdrawn|revoked", re.I)
_ABOUT_RECOGNITION = re.compile(f"{_POLITICAL_PRISONER}|{_RECOGNITION_WORD}|recogni", re.I)
# What else a person may be "recognised as" (found guilty, listed as an extremist, a terrorist, a foreign
# agent): no recognition as a political prisoner, and no status the registry holds.
_RECOGNIZED_AS_OTHER = re.compile(
    rf"(?:{_RECOGNITION_WORD})\w*\s+(?:(?:как|як|as|a|an)\s+)*"
    r"(?:экстремист\w*|экстрэміст\w*|террорист\w*|тэрарыст\w*|виновн\w*|вінават\w*|иноагент\w*"
    r"|иностранн\w* агент\w*|guilty|(?:an )?extremists?|terrorists?|(?:a )?foreign agents?)",
    re.I,
)
# Leaving the country ("уехал из Беларуси", "выехал", "в эмиграции"): the registry records it as an event of
# its own, with its date, which a status cell does not give.
_EMIGRATED = re.compile(
    r"уехал|выехал|эмигрир|эмиграц|покинул\w* (?:страну|Беларусь|Республику)|за границ|за рубеж|за мяж"
    r"|з['’]ехал|з['’]ехаў|выехаў|эміграв|эміграц|пакінуў|пакінул"
    r"|left (?:the country|belarus)|emigrat|abroad|in exile",
    re.I,
)


# Words of a status that say none: a release or death denied, a "recognised as" something else. Each refused
# naming the words (they were read as the status they name).
_NOT_A_STATUS = (
    (
        _NEGATED,
        gettext_noop(
            "%(value)s: %(words)s says what did not happen, which no status is: write what the "
            "person's status is (e.g. 'в заключении')"
        ),
    ),
    (
        _RECOGNIZED_AS_OTHER,
        gettext_noop(
            "%(value)s: %(words)s is no recognition as a political prisoner and no status the registry "
            "holds (expected e.g. 'признан политзаключённым', 'в заключении')"
        ),
    ),
)


# Words a list writes for what the registry records no event of: wanted by the police (not in custody, most
# often abroad), a transfer to "химия" (restricted freedom with referral) on a day the cell does not give.
_NOT_RECORDED = re.compile(
    r"в розыске|[уў] вышуку|\bwanted\b|(?:перев\w*|направлен\w*)\s+на\s+хими|(?:перав\w*|накіраван\w*)\s+на\s+хімі",
    re.I,
)
# A date written in the status cell ("освобожден 12.05.2023", "вызвалена 3 сакавіка 2023 г.", "умер в 2022"):
# day first with dots, slashes or dashes (a two-digit year with dots), ISO, a month and its year ("05.2023"), a
# month in words with its year, or a year alone. A written date none of them reads ("31.02.2023", "12/05/23") is
# refused as parse_date refuses it, never taken for a status without a date. True: a date of digits, which a
# date parser must read; False: words that may be no date ("освобожден 2023" reads the year alone).
_STATUS_DATES = [
    (re.compile(r"(?<![\d.])\d{1,2}([./-])\d{1,2}\1\d{4}(?![\d.]*\d)"), True),
    (re.compile(r"(?<![\d.])\d{4}-\d{1,2}-\d{1,2}(?!\d)"), True),
    (re.compile(r"(?<![\d./-])\d{1,2}([./-])\d{1,2}\1\d{2}(?![\d./-]*\d)"), True),
    (re.compile(r"(?<![\d./-])\d{1,2}[./]\d{4}(?![\d./-]*\d)"), True),
    (re.compile(r"(?<![\w.])(?:\d{1,2}\s+)?[^\W\d_]+\.?,?\s+(?:\d{1,2},?\s+)?\d{4}(?!\d)"), False),
    (re.compile(r"(?<![\d.-])(?:19|20)\d{2}(?![\d.-])"), False),
]
# The end of a term as a list writes it beside the term being served ("окончание срока 12.03.2027", "в колонии
# до 2027", "дата освобождения 12.03.2024"): no release, though "освобождения" and "окончание срока" are
# release words ("освобождён по окончании срока" is one).
_TERM_END = re.compile(
    r"(?<![^\W\d_])(?:окончание|конец|истечение)\s+срока|(?<![^\W\d_])(?:заканчэнне|канец)\s+тэрміну"
    r"|дата\s+(?:освобождения|вызвалення)|освобождение\s+ожидается|ожидаемое\s+освобождение"
    r"|(?<![^\W\d_])(?:срок|тэрмін)\s+(?:до|да)(?![^\W\d_])|(?<![^\W\d_])(?:до|да|until)\s+(?=\d)"
    r"|term ends|release (?:date|due|expected)|expected release",
    re.I,
)
# Other events a status may name beside a release, a death or a recognition, whose date a date in the cell may
# as well be: a detention or arrest (again: "освобождён, повторно задержан 01.06.2023"), a conviction, a decree,
# an article ("освобожден (ст. 342 ч.1, 2021)").
_OTHER_EVENT = re.compile(
    r"(?<![^\W\d_])(?:повторно\s+|паўторна\s+|re-?)?(?:задерж|затрыма|арестова|арыштава|detained|arrested)\w*"
    r"|(?<![^\W\d_])(?:осужд|асуджа|приговор|прысуд|convicted|sentenced|verdict|указ|decree)\w*"
    r"|(?<![^\W\d_])(?:ст\.|стать\w*|артыкул\w*|article\b)",
    re.I,
)
# Recognition words whole, as the row names them ("признана политзаключённой"); a former political prisoner
# ("бывший политзаключённый") names the release, not a recognition to date.
_FORMER = re.compile(r"бывш\w* полит\w*|былы\w* паліт\w*|former polit\w*(?: prisoner)?", re.I)
_RECOGNITION_WORDS = re.compile(
    rf"(?:(?:{_RECOGNITION_WORD})\w*\s+)?(?:{_POLITICAL_PRISONER})\w*|(?:{_RECOGNITION_WORD})\w*", re.I
)


@dataclass(frozen=True)
class Status:
    released: bool = False
    release_kind: str = ""
    died: bool = False
    recognized: bool = False
    # Held, or a past event of one held ("осуждён", "задержан"): a status of custody.
    held: bool = False
    # The person left the country, on a day the cell does not say.
    emigrated: bool = False
    # The date the cell gives (see date_of: whose it is).
    date: PartialDate | None = None
    # Words the registry records nothing for ("в розыске", "перевод на химию").
    unrecorded: bool = False
    # Words saying the person is held now ("в СИЗО", "содержится"): they contradict a release or death date;
    # a past event ("осуждён", "задержан 12.03.2021") does not.
    held_now: bool = False
    # What the date dates: "end" (the release or death named, and nothing else a date could belong to),
    # "recognition" (a recognition alone), or "" (nothing recorded, or more than one event: see other_events).
    date_of: str = ""
    # The words beside the release, death or recognition that the date may belong to as well ("'повторно
    # задержан'"): it cannot be told whose the date is.
    other_events: str = ""


def parse_status(value: object, today: dt.date | None = None) -> Status:
    """Status words in en/ru/be: released (and how), died, still held, recognised; and a date written with them.

    today decides the century of a two-digit year, as in parse_date."""
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, as parse_date reads it
    return _parse_status(one_script_words(" ".join(str(value or "").split())), today, False)


def parse_status_month_first(value: object, today: dt.date | None = None) -> Status:
    """parse_status for a list that writes its dates month first (parse_date_month_first): "освобожден
    05/12/2023" is released on 2023-05-12 there."""
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, as parse_date reads it
    return _parse_status(one_script_words(" ".join(str(value or "").split())), today, True)


def _status_date(
    text: str, today: dt.date, month_first: bool = False
) -> tuple[PartialDate | None, list[PartialDate], str]:
    """The date a status cell gives, the other dates it gives (whose is which cannot be told: none is recorded,
    and the row is read without them), and the cell without them; a written date that is no real one is
    refused."""
    read = parse_date_month_first if month_first else parse_date
    dates: list[PartialDate] = []
    rest = text
    for pattern, digits in _STATUS_DATES:
        for found in pattern.finditer(rest):
            try:
                date = read(found.group(), today)
            except CellError:
                if digits:
                    raise  # "31.02.2023" is not a real date; "12/05/23" is no date parse_date reads
                continue  # "освобожден 2023" as words: not a month, the year alone is read below
            if date is not None:
                dates.append(date)
                rest = rest[: found.start()] + " " * len(found.group()) + rest[found.end() :]
    distinct = list({str(date): date for date in dates}.values())
    return (distinct[0] if distinct else None), distinct[1:], " ".join(rest.split())


@lru_cache(maxsize=5_000)
def _parse_status(text: str, today: dt.date, month_first: bool) -> Status:
    if not text:
        return Status()
    # The words say what the date is of; a date with no words is no status, and refused as an unknown one.
    date, others, words = _status_date(text, today, month_first)
    status = _status_words(words, text)
    if others:
        # "помилован 16.09.2023 (указ от 15.09.2023)": two dates, whose is which cannot be told; said on the row
        # (records._status_dates), and the row's other facts are read.
        return replace(status, date=date, date_of="", other_events=", ".join(repr(str(d)) for d in others))
    return _dated(status, words, date) if date is not None else status


def _dated(status: Status, words: str, date: PartialDate) -> Status:
    """The status with its date, and what the date dates: the release or death the words name, or the
    recognition, only when they name nothing else a date could belong to (a detention, a conviction, the end
    of the term, the person held now, another of the three)."""
    others = [found.group() for found in _OTHER_EVENT.finditer(words)]
    others += [found.group() for found in _TERM_END.finditer(words)]
    if status.emigrated and status.release_kind not in ("expelled", "exchanged"):
        others += [found.group() for found in _EMIGRATED.finditer(words)]  # leaving has its own date
    if not status.died:  # "умер в заключении 10.10.2022": the place of the death, not another event
        # The place a release was from ("освобождён из ИК-15", "из-под стражи") says no one is held now.
        others += [found.group() for found in _HELD_NOW.finditer(_RELEASED_FROM.sub(" ", words))]
    date_of = ""
    if status.released or status.died:
        if status.recognized:
            others += [found.group() for found in _RECOGNITION_WORDS.finditer(_FORMER.sub(" ", words))]
        date_of = "end"
    elif status.recognized:
        date_of = "recognition"
    if others and date_of:
        named = ", ".join(repr(" ".join(o.split()).strip(" ,.;")) for o in dict.fromkeys(others))
        return replace(status, date=date, date_of="", other_events=named)
    return replace(status, date=date, date_of=date_of)


def _status_words(words: str, text: str) -> Status:
    """The status `words` say (the cell, `text`, without its date)."""
    if _DENIED.search(words) or (_WITHDRAWN.search(words) and _ABOUT_RECOGNITION.search(words)):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: a recognition denied or withdrawn is not a status the import reads: leave the "
                    "cell empty for a person not recognised, and record a withdrawal with its date"
                ),
                value=repr(text),
            )
        )
    for pattern, message in _NOT_A_STATUS:
        if found := pattern.search(words):
            raise CellError(Message(message, value=repr(text), words=repr(found.group())))
    # "окончание срока 12.03.2027", "дата освобождения …": the term being served, not a release.
    term_end = bool(_TERM_END.search(words))
    release_words = _TERM_END.sub(" ", words) if term_end else words
    kind = next((name for name, pattern in _RELEASE_WORDS if pattern.search(release_words)), "")
    died = bool(_DIED.search(words))
    released = bool(kind) or bool(_RELEASED.search(release_words))
    recognized = bool(_RECOGNIZED.search(words))
    at_liberty = bool(_AT_LIBERTY.search(words))
    emigrated = bool(_EMIGRATED.search(words))
    now = bool(_HELD_NOW.search(words))
    custody = now or term_end or bool(_HELD_BEFORE.search(words))
    if not (released or died or recognized or at_liberty or emigrated or custody):
        raise CellError(
            Message(
                gettext_noop(
                    "%(value)s: unknown status (expected e.g. 'в заключении', 'освобожден', 'помилован')"
                ),
                value=repr(text),
            )
        )
    unrecorded = bool(_NOT_RECORDED.search(words))
    free = released or died or at_liberty or unrecorded
    return Status(
        released,
        kind or ("other" if released else ""),
        died,
        recognized,
        not free and custody,
        emigrated,
        unrecorded=unrecorded,
        held_now=not free and now,
    )


# Full words and the abbreviations lists write with a dot (the dot is stripped): "муж.", "мужск.", "жан.".
_GENDERS = {
    "m": "m",
    "male": "m",
    "man": "m",
    "м": "m",
    "муж": "m",
    "мужск": "m",
    "мужч": "m",
    "мужской": "m",
    "мужчына": "m",
    "мужчина": "m",
    "мужчынскі": "m",
    "f": "f",
    "female": "f",
    "woman": "f",
    "ж": "f",
    "жен": "f",
    "женск": "f",
    "женщ": "f",
    "жан": "f",
    "жанч": "f",
    "жаноч": "f",
    "женский": "f",
    "женщина": "f",
    "жанчына": "f",
    "жаночы": "f",
    "x": "x",
    "other": "x",
}


def parse_gender(value: object) -> str:
    text = one_script_words(str(value or "").strip().lower().rstrip("."))
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


# ---- places of detention -----------------------------------------------------------------------------------

# Belarus numbers its colonies, remand prisons, prisons and treatment-labour centres nationally (ИК-15, СИЗО-1,
# Тюрьма №8, ЛТП-2): the kind and the number name one place, however a list spells the rest ("ИК-15 (Шклов)",
# "ИК №15 г. Шклов", "Penal colony No. 15, Shklou"). Juvenile colonies (ВК) and settlements (колония-поселение)
# have numbers of their own, so they are kinds of their own, tried first.
_FACILITY_KINDS = [
    ("juvenile", r"вк|воспитательн\w* колони\w*|выхаваўч\w* калоні\w*|juvenile colony|educational colony"),
    ("settlement", r"кп|колони\w*[-\s]поселени\w*|калоні\w*[-\s]пасяленн\w*|colony[-\s]settlement"),
    ("remand", r"сизо|сіза|следственн\w* изолятор\w*|следч\w* ізалятар\w*|pre-?trial detention \w+|sizo"),
    ("ltp", r"лтп|ltp"),
    ("prison", r"тюрьм\w*|турм\w*|prison"),
    (
        "colony",
        r"ик|пк|ис?правительн\w* колони\w*|папраўч\w* калоні\w*|колони\w*|калоні\w*|penal colony|colony|ik",
    ),
]
_FACILITY_NUMBER = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(f"(?P<{kind}>{words})" for kind, words in _FACILITY_KINDS)
    + r")(?![^\W\d_])[\s.,:-]*(?:№|no\.?|n°|nr\.?|#)?\s*(\d{1,3})(?!\d)",
    re.I,
)


# What may follow a numbered place and still be its name: a town, in brackets or not ("ИК-15 (Шклов)", "СИЗО-1
# г. Минск", "ИК-22, Ивацевичи"). Anything else beside the number (an address, whom to send parcels through) is
# no part of the place's name.
_TOWN_AFTER = re.compile(
    r"\s*(?:,\s*|\(\s*)?(?:(?:г|м|пос|пгт|в|д)\.\s*)?[A-ZА-ЯЁІЎ][\w'’-]*(?:\s+[A-ZА-ЯЁІЎ][\w'’-]*)?\s*\)?\s*",
)


@lru_cache(maxsize=10_000)
def place_and_words(name: str) -> tuple[str, str]:
    """A numbered place's name and the words beside it that are no part of it: ("ИК-9", "передачи через жену
    Ольгу, ул. Ленина 12-34") for "ИК-9, передачи через жену Ольгу, ул. Ленина 12-34"; a town after the number
    stays the name's. An unnumbered place (`ИВС Партизанского РУВД (ул. Ленина 12-34)`) keeps its words but
    those in brackets that hold a number. ("", "") for no name."""
    text = " ".join(name.split())
    found = _FACILITY_NUMBER.search(text)
    if found is None:
        words = [part for part in re.findall(r"[(\[]([^()\[\]]*)[)\]]", text) if re.search(r"\d", part)]
        for part in words:
            text = re.sub(r"\s*[(\[]" + re.escape(part) + r"[)\]]", "", text)
        return text.strip(), "; ".join(w.strip() for w in words)
    head, rest = text[: found.end()], text[found.end() :]
    town = _TOWN_AFTER.match(rest)
    if town is not None and (town.end() == len(rest) or rest[town.end() :].lstrip()[:1] in "([,;—–-"):
        if "(" in town.group() and ")" not in town.group():
            town = None  # "(Бобруйск, отряд 5)": a bracket the town does not close
        else:
            head, rest = head + rest[: town.end()].rstrip(), rest[town.end() :]
    words = rest.strip(" ,;:—–-")
    for opening, closing in (("(", ")"), ("[", "]")):
        if words.startswith(opening) and words.endswith(closing) and words.count(opening) == 1:
            words = words[1:-1].strip()
    return head.strip(" ,;:—–-"), words


@lru_cache(maxsize=10_000)
def facility_key(name: str) -> str:
    """How two spellings of a place of detention are known to be one: its kind and national number when the
    name gives them ("colony:15"), else the name in lower case."""
    text = one_script_words(" ".join(name.split())).lower()  # "ИK-15" typed with a Latin K is ИК-15
    found = _FACILITY_NUMBER.search(text)
    if found is None:
        return text
    kind = next(kind for kind, _ in _FACILITY_KINDS if found.group(kind))
    return f"{kind}:{int(found.group(len(_FACILITY_KINDS) + 1))}"
