"""Partial dates: `2021`, `2021-03` or `2021-03-12`, stored as the first day plus a precision.

Like followthemoney's `types/date.py`, a partial date prints exactly as entered. Ordering uses the first day
of the period; `latest()` gives the last day, for checks that must not reject a coarse date (a release in
"2021" may well come after a detention on 2021-03-12).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

YEAR, MONTH, DAY = "year", "month", "day"
PRECISIONS = [(YEAR, "year"), (MONTH, "month"), (DAY, "day")]
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    value: dt.date
    precision: str = DAY

    @classmethod
    def parse(cls, text: str | None) -> PartialDate | None:
        """Parse ISO-shaped `YYYY`, `YYYY-MM`, `YYYY-MM-DD`; None for empty; ValueError otherwise."""
        if text is None:
            return None
        if isinstance(text, dt.date):
            return cls(text, DAY)
        text = str(text).strip()
        if not text:
            return None
        match = _ISO.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        try:
            if day:
                return cls(dt.date(int(year), int(month), int(day)), DAY)
            if month:
                return cls(dt.date(int(year), int(month), 1), MONTH)
            return cls(dt.date(int(year), 1, 1), YEAR)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a real date: {exc}") from None

    def __str__(self) -> str:
        if self.precision == YEAR:
            return f"{self.value.year:04d}"
        if self.precision == MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def latest(self) -> dt.date:
        """The last day the partial date may stand for."""
        if self.precision == YEAR:
            return dt.date(self.value.year, 12, 31)
        if self.precision == MONTH:
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return dt.date(self.value.year, self.value.month, last)
        return self.value


def format_partial(value: dt.date | None, precision: str | None) -> str:
    """Show a stored date + precision as it was entered."""
    if value is None:
        return ""
    return str(PartialDate(value, precision or DAY))


def parse_iso_date(text: str, what: str = "date") -> dt.date:
    """A full ISO date for command-line options; a clear error otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        if isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            # 2026-11-31 has the form: saying "expected YYYY-MM-DD" sent people looking for a typo.
            raise ValueError(f"{what} {text!r}: not a real date (expected YYYY-MM-DD)") from None
        raise ValueError(f"{what} {text!r}: expected YYYY-MM-DD") from None
