"""The batch's own source, cited on everything an import writes: a mapping's `source:` or the title given as
`--source` (the upload form's "Source to cite").

Checked as a file's source cells are (records._source_texts, _source_object): a link only a web link
(http:// or https://), a known reliability, each text within its Source field's length, and a title without a
link kept restricted, as it may name a relative or a witness ("со слов сестры …"). A mapping's source was
stored as written: a `javascript:` link was shown on the site as a link, and the registry's own export of it
did not import back.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from .messages import Message, MessageError, gettext_noop

# A mapping's `source:` keys, as the Source model names its fields (`document` is the file's name otherwise).
KEYS = ("title", "url", "publisher_name", "published_on", "reliability", "document")
# The Source model's field lengths (spis.registry.models.sources; records._SOURCE_TEXT for a file's sources).
LIMITS = {"title": 500, "url": 1000, "publisher_name": 300, "document": 500}
RELIABILITY = ("high", "medium", "low")

# Messages shared with a file's source cells (records.py): one msgid, one translation.
NOT_A_LINK = gettext_noop("%(value)s is not a web link (http:// or https://)")
TOO_LONG = gettext_noop("%(length)s characters; at most %(limit)s fit here")
UNKNOWN_VALUE = gettext_noop("unknown value %(value)s (%(known)s)")
UNKNOWN_KEY = gettext_noop("unknown key %(value)s (known: %(known)s)")
EXPECTED_TEXT = gettext_noop("expected text, found %(found)s")
# What a YAML value is, for a message that expected text (records._KINDS_OF_VALUE's words).
_KINDS = {
    bool: gettext_noop("true or false"),
    int: gettext_noop("a number"),
    float: gettext_noop("a number"),
    list: gettext_noop("a list"),
    dict: gettext_noop("an object"),
}
UNLINKED = gettext_noop(
    "source %(source)s has no link: kept restricted, as it may name a person (make it public in the admin "
    "if it is a publication)"
)


class SourceError(MessageError):
    """A batch source that cannot be cited: `key` names its part (url, title …), `reason` says why, and the
    message names where it was given (--source) when that is known."""

    def __init__(self, key: str, reason: Message, message: Message | None = None) -> None:
        self.key, self.reason = key, reason
        super().__init__(message or reason)


def checked(spec: dict[str, Any]) -> dict[str, Any]:
    """A mapping's `source:` as Source fields, each checked; the first problem is a SourceError at its key.
    (Without a link the importer keeps it restricted: see the module docstring.)"""
    unknown = [str(k) for k in spec if k not in KEYS]
    if unknown:
        raise SourceError(unknown[0], Message(UNKNOWN_KEY, value=repr(unknown[0]), known=list(KEYS)))
    fields: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "published_on":
            fields[key] = _date(value)
        elif value is not None:
            fields[key] = _text(key, value)
    if not fields.get("title"):
        raise SourceError("title", Message(gettext_noop("a source needs a title")))
    url = fields.get("url", "")
    if url and not valid_link(url):
        raise SourceError("url", Message(NOT_A_LINK, value=repr(url)))
    reliability = fields.get("reliability", "")
    if reliability and reliability.lower() not in RELIABILITY:
        raise SourceError(
            "reliability", Message(UNKNOWN_VALUE, value=repr(reliability), known=list(RELIABILITY))
        )
    if reliability:
        fields["reliability"] = reliability.lower()
    return {k: v for k, v in fields.items() if v not in ("", None)}


def from_title(text: str) -> dict[str, Any]:
    """`--source` (the upload form's "Source to cite"): a title, checked as a mapping's is."""
    try:
        return checked({"title": text})
    except SourceError as exc:
        said = Message(gettext_noop("the source to cite (--source): %(reason)s"), reason=exc.reason)
        raise SourceError(exc.key, exc.reason, said) from None


def _text(key: str, value: Any) -> str:
    """A text of the source, its whitespace (line breaks, tabs) folded to single spaces as a cell's is; other
    control characters are refused: no page shows them, and a title holding one reads as another title."""
    if not isinstance(value, str):
        found = _KINDS.get(type(value))
        raise SourceError(
            key, Message(EXPECTED_TEXT, found=Message(found) if found else type(value).__name__)
        )
    text = " ".join(value.split())
    control = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        reason = gettext_noop("holds a control character (U+%(code)s): not text a page can show")
        raise SourceError(key, Message(reason, code=f"{ord(control):04X}"))
    if key in LIMITS and len(text) > LIMITS[key]:
        raise SourceError(key, Message(TOO_LONG, length=len(text), limit=LIMITS[key]))
    return text


def _date(value: Any) -> dt.date | None:
    """`published_on`: a date as YAML reads one (2021-03-12), or its text."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SourceError("published_on", Message(gettext_noop("not a date as YYYY-MM-DD"))) from None


def valid_link(url: str) -> bool:
    """A web link the registry may show as one: a batch's source, and a file's (records._valid_link)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True
