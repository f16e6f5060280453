"""What the import says about a file or a row, kept as an English template with named parameters and put into
words only when it is read: in the reader's language.

A batch's rows are stored once and read later by editors in Belarusian, Russian or English, so a message
cannot be a finished sentence in the language of whoever ran the import. It is a `Message`: the template
(`"%(value)s is not a real date"`, marked with `gettext_noop` so that makemessages puts it in the
catalogues) and its parameters. ImportRow.messages stores it as `{"text": …, "params": {…}}`; `render`
translates the template with Django's gettext in the active language, then fills it in.

A parameter is data, inserted as it is (a cell's value, a date, a public id, a column header from the file),
or a `Message` of its own, translated in turn: a word of our own vocabulary (an event type, a field, a
release kind) or a clause; a list of them is joined with commas.

Plain Python until `render` is called: the parsers and readers that raise messages do not need Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The marker makemessages knows by name, without Django (custody's reasons use it too); re-exported for the
# modules that build messages.
from spis.registry.custody import gettext_noop

__all__ = ["Message", "MessageError", "gettext_noop", "is_conflict", "levels_shown", "render"]


@dataclass(slots=True, init=False)
class Message:
    """An English template with `%(name)s` placeholders and their values; `str()` is the English text.

    `level`: the level of a stored fact whose values the message shows ("restricted", "sealed"; "" for none),
    set by `at`: a batch's rows are read later by editors who may not read that level (views._redact).
    `conflict`: the message says what made its row a conflict (set by `conflicting`); the others are notes."""

    text: str
    params: dict[str, Any]
    level: str
    conflict: bool

    def __init__(self, text: str, /, **params: Any) -> None:
        self.text, self.params, self.level, self.conflict = text, params, "", False

    def at(self, level: str) -> Message:
        """This message, as showing a stored fact of `level` (the stricter of it and one given before)."""
        if level == "sealed" or (level == "restricted" and self.level != "sealed"):
            self.level = level
        return self

    def conflicting(self) -> Message:
        """This message, as saying what made its row a conflict (a value kept or superseded, a level kept)."""
        self.conflict = True
        return self

    def __str__(self) -> str:
        return _words(self, _english)

    def as_json(self) -> dict[str, Any]:
        """The stored shape (ImportRow.messages): {"text": template, "params": {name: value or message}}, with
        "level" when it shows a stored fact that is not public, and "conflict" when it says a conflict."""
        stored: dict[str, Any] = {"text": self.text, "params": {k: _json(v) for k, v in self.params.items()}}
        if self.level:
            stored["level"] = self.level
        if self.conflict:
            stored["conflict"] = True
        return stored


def is_conflict(message: Any) -> bool:
    """Whether a message (a Message or its stored JSON) says what made its row a conflict; a message stored
    before messages said so (a plain string, JSON without "conflict") does not."""
    if isinstance(message, Message):
        return message.conflict
    return isinstance(message, dict) and bool(message.get("conflict"))


def levels_shown(message: Any) -> set[str]:
    """The levels of the stored facts a message shows, its parameters' included: a Message or its stored
    JSON (a plain string shows none)."""
    if isinstance(message, Message):
        own, params = message.level, message.params
    elif isinstance(message, dict) and "text" in message:
        own, params = str(message.get("level") or ""), message.get("params") or {}
    elif isinstance(message, list | tuple):
        return set().union(*(levels_shown(item) for item in message))
    else:
        return set()
    found = {own} if own else set()
    for value in params.values():
        found |= levels_shown(value)
    return found


def render(message: Message | dict[str, Any] | str) -> str:
    """A message in the active language (English where none is active, as in management commands).

    Takes a Message, its stored JSON, or a plain string: rows stored before messages were kept structured
    hold finished English sentences, shown as they were written.
    """
    from django.utils.translation import gettext

    return _words(message, gettext)


def _english(text: str) -> str:
    return text


def _words(item: Any, translate: Callable[[str], str]) -> str:
    if isinstance(item, Message):
        text, params = item.text, item.params
    elif isinstance(item, dict) and "text" in item:
        text, params = str(item["text"]), item.get("params") or {}
    elif isinstance(item, list | tuple):
        return ", ".join(_words(part, translate) for part in item)
    else:
        return str(item)  # data (or an old plain-string message): as it is
    # gettext("") would be the catalogue's header; a template without parameters is not %-formatted (it may
    # be a refusal's own text that holds a "%").
    template = translate(text) if text else ""
    if not params:
        return template
    return template % {name: _words(value, translate) for name, value in params.items()}


def _json(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


class MessageError(ValueError):
    """An error whose reason is a Message; `str()` is the English text (logs, tracebacks, the admin)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))
