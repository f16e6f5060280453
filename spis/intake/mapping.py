"""Column mapping: which header means which field, from a mapping YAML or the built-in en/ru/be header words.

A mapping file (see data/intake/mappings/viasna.yaml) lists header variants per field; headers are compared
after folding case, ё/е, punctuation and spaces. A header that names two languages at once
("Дата рождения / Date of birth") is tried part by part.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from . import batch_source
from .messages import Message, MessageError, gettext_noop

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "intake" / "mappings"

# field -> header variants (en, ru, be). Wide rows (one per person, as on Viasna's list) use most of these;
# `event_type` & co. mark the long shape that `spis export --format csv` writes (one row per event).
BUILTIN: dict[str, list[str]] = {
    "public_id": ["public id", "public_id", "spis id"],
    # A staff export's: the public ids of records merged into the person.
    "merged_ids": ["merged_ids", "merged ids"],
    # A staff export's: what the family agreed to publish, and when (staff only, as in the admin).
    "consent_note": ["consent_note"],
    # Not "№" / "No.": lists number their rows in such a column, and two lists' row numbers are not one person.
    "external_id": ["id", "external id", "external_id", "viasna id"],
    "name": [
        "name",
        "full name",
        "person",
        "фио",
        "ф и о",
        "фамилия имя отчество",
        "фамилия имя",
        "фио подсудимого",
        "фио осужденного",
        "фио обвиняемого",
        "фио задержанного",
        "фио политзаключенного",
        "піб абвінавачанага",
        "піб асуджанага",
        "name of the defendant",
        "пib",
        "піб",
        "прозвішча імя імя па бацьку",
        "прозвішча імя",
        "прозвище имя",
    ],
    # A name in parts, one column each; the row's name is the parts in that order (surname first, as lists
    # write it). "Имя" alone is read the same way: a list whose one name column is "Имя" has full names in it.
    "surname": ["surname", "last name", "family name", "фамилия", "прозвішча"],
    "given_name": ["given name", "first name", "forename", "имя", "імя"],
    "patronymic": ["patronymic", "middle name", "отчество", "імя па бацьку"],
    "display_name": ["display_name", "display name"],
    "names": ["names", "other names", "aliases", "иные имена", "іншыя імёны"],
    # A staff export's names that only staff may read (spis export without --public).
    "names_restricted": ["names_restricted"],
    "names_sealed": ["names_sealed"],
    "name_be": [
        "name be",
        "name (be)",
        "имя бел",
        "фио бел",
        "фио (бел.)",
        "імя па-беларуску",
        "піб па-беларуску",
    ],
    "name_ru": [
        "name ru",
        "name (ru)",
        "фио рус",
        "фио (рус.)",
        "фио по-русски",
        "імя па-расейску",
        "піб па-руску",
    ],
    "name_en": ["name en", "name (en)", "name latin", "латиница", "лацінка", "name in latin"],
    "birth_date": [
        "date of birth",
        "dob",
        "birth date",
        "birth_date",
        "born",
        "birth year",
        "year of birth",
        "дата рождения",
        "год рождения",
        "г р",
        "дата нараджэння",
        "год нараджэння",
        "нарадзіўся",
    ],
    "gender": ["gender", "sex", "пол", "гендар", "гендер"],
    "region": ["region", "регион", "область", "рэгіён", "вобласць"],
    "occupation": [
        "occupation",
        "род занятий",
        "род деятельности",
        "профессия",
        "прафесія",
        "род заняткаў",
        "род дзейнасці",
        "занятие",
    ],
    "confidentiality": ["confidentiality"],
    "synthetic": ["synthetic", "is_synthetic"],
    "detained_on": [
        "date of detention",
        "detention date",
        "detained",
        "detained on",
        "arrest date",
        "дата задержания",
        "задержан",
        "дата ареста",
        "дата затрымання",
        "затрыманы",
        "затрыманне",
        "задержание",
        "дата задержания ареста",
        "arrested",
        "arrested on",
        "date detained",
        # A "Дата" under a heading "Задержание" merged over its sub-columns, read joined ("Задержание: Дата");
        # "Detention: Date" is "detention date" above.
        "задержание дата",
        "затрыманне дата",
    ],
    "articles": [
        "articles",
        "article",
        "статьи",
        "статья",
        "статьи ук",
        "артыкулы",
        "артыкул",
        "артыкулы кк",
        "criminal code articles",
        "статья ук рб",
        "статьи ук рб",
        "статья ук рф",
        "артыкул кк",
        "артыкулы кк рб",
        "артыкул кк рб",
        "article of the criminal code",
        "articles of the criminal code",
    ],
    "verdict_on": [
        "verdict date",
        "date of verdict",
        "sentence date",
        "date of sentence",
        "дата приговора",
        "дата вынясення прысуду",
        "дата прысуду",
        "convicted on",
        "дата суда",
        "дата судебного решения",
        "дата решения суда",
        "дата суду",
        "trial date",
        "date of trial",
        "verdict on",
        # A "Дата" under "Суд" or "Приговор" (over "Дата | Судья"), read joined: "Суд: Дата".
        "суд дата",
        "приговор дата",
        "прысуд дата",
        "court date",
    ],
    "sentence": [
        "sentence",
        "penalty",
        "punishment",
        "term",
        "приговор",
        "наказание",
        "срок",
        "прысуд",
        "пакаранне",
        "тэрмін",
        "мера наказания",
        "мера пакарання",
        "срок наказания",
        "тэрмін пакарання",
        "вид наказания",
    ],
    "judge": ["judge", "судья", "суддзя"],
    "prosecutor": ["prosecutor", "прокурор", "пракурор"],
    "court": ["court", "суд"],
    "case_number": [
        "case number",
        "case",
        "номер дела",
        "дело",
        "нумар справы",
        "справа",
        "case_number",
        "уголовное дело",
        "уголовное дело №",
        "№ уголовного дела",
        "номер уголовного дела",
        "дело №",
        "№ дела",
        "крымінальная справа",
        "нумар крымінальнай справы",
        "№ крымінальнай справы",
        "criminal case",
        "criminal case no",
        "criminal case number",
        "case no",
    ],
    "facility": [
        "место отбывания",
        "место отбывания наказания",
        "месца адбывання",
        "месца адбывання пакарання",
        "prison",
        "facility",
        "place of detention",
        "colony",
        "место заключения",
        "место содержания",
        "колония",
        "учреждение",
        "месца зняволення",
        "месца ўтрымання",
        "калонія",
        "установа",
        "место отбывания наказания",
        "месца адбывання пакарання",
        "где содержится",
        "дзе ўтрымліваецца",
        "place of imprisonment",
        "where held",
    ],
    "status": ["status", "статус", "стан"],
    "released_on": [
        "release date",
        "date of release",
        "released",
        "released on",
        "дата освобождения",
        "освобожден",
        "дата вызвалення",
        "вызвалены",
        "освобождение",
        "вызваленне",
        "дата выхода на свободу",
        "освобождение дата",
        "вызваленне дата",
    ],
    "died_on": [
        "date of death",
        "died",
        "died on",
        "death",
        "дата смерти",
        "дата гибели",
        "умер",
        "дата смерці",
        "дата гібелі",
        "памёр",
    ],
    "recognized_on": [
        "recognized",
        "recognised",
        "date of recognition",
        "recognized on",
        "дата признания",
        "дата признания политзаключенным",
        "дата признания политическим заключенным",
        "признан политзаключенным",
        "признана политзаключенной",
        "дата прызнання",
        "дата прызнання палітвязнем",
        "прызнаны палітвязнем",
        "прызнаная палітвязнем",
    ],
    "note": [
        "note",
        "notes",
        "comment",
        "примечание",
        "комментарий",
        "заўвага",
        "каментар",
        "комментарии",
        "примечания",
        "каментары",
        "заўвагі",
        "comments",
        "remarks",
    ],
    # Where the row's facts come from: links, or `title <link>`, " | " between them.
    "sources": [
        "sources",
        "source",
        "источник",
        "источники",
        "ссылка",
        "ссылки",
        "крыніца",
        "крыніцы",
        "спасылка",
        "спасылкі",
        "link",
        "links",
    ],
    # A staff export's sources that only staff may read.
    "sources_restricted": ["sources_restricted"],
    "sources_sealed": ["sources_sealed"],
    # The CSV export's sources cited on the person (its "sources" are each row's event's), by level.
    "person_sources": ["person_sources"],
    "person_sources_restricted": ["person_sources_restricted"],
    "person_sources_sealed": ["person_sources_sealed"],
    # the long (one row per event) shape written by `spis export --format csv`
    "event_type": ["event_type", "event type"],
    "event_date": ["event_date", "event date"],
    "release_kind": ["release_kind", "release kind"],
    "sentence_months": ["sentence_months", "sentence months"],
    "regime": ["regime", "режим", "рэжым"],
    "fine_amount": ["fine_amount", "fine"],
    # A list's own level column says how open its row is, all of it (the person's facts, names, sources):
    # read as the row's level, as a staff list's event_confidentiality (a person's own level, `confidentiality`,
    # left a stricter row of a person already public to publish its facts).
    "event_confidentiality": [
        "event_confidentiality",
        "конфиденциальность",
        "канфідэнцыяльнасць",
        "уровень доступа",
        "узровень доступу",
        "уровень конфиденциальности",
        "статус конфиденциальности",
        "узровень канфідэнцыяльнасці",
        "access level",
        "privacy level",
        "confidentiality level",
    ],
    # The event's organisation (the recognising body, the court), by name. Not "organization": a list's
    # column of that name is a person's employer more often than anything the registry records.
    "event_organization": ["event_organization"],
    # The organisation a case's court is linked to, by name (the CSV export's; `court` is the court as printed).
    "court_organization": ["court_organization"],
}
FIELDS = list(BUILTIN)


def fold_header(text: str) -> str:
    text = str(text).lower().replace("ё", "е").replace("_", " ")
    text = re.sub(r"[^\w№]+", " ", text)
    return " ".join(text.split())


@dataclass
class Mapping:
    name: str = "builtin"
    variants: dict[str, list[str]] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def digest(self) -> str:
        """What the mapping reads, as a SHA-256: two mappings of one name that read other columns differ."""
        content = {"variants": self.variants, "source": self.source, "options": self.options}
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()

    def index(self) -> dict[str, str]:
        # Mapping-file variants win over built-in words for the same header.
        folded: dict[str, str] = {}
        for field_name, words in BUILTIN.items():
            for word in [field_name, *words]:  # a field's own name too ("verdict_on" in a JSON file)
                folded.setdefault(fold_header(word), field_name)
        for field_name, words in self.variants.items():
            for word in words:
                folded[fold_header(word)] = field_name
        return folded

    def resolve(self, headers: list[str], index: dict[str, str] | None = None) -> Resolved:
        """{header: field} for the headers this mapping knows, the headers it ignores, and {header: field}
        of the later columns that name a field an earlier one took (a second "Статья", or "Артыкул" beside
        "Статья"): records.py reads those together with the first, never drops them. `index` is this
        mapping's index(), built once by a caller that resolves many sets of headers."""
        index = self.index() if index is None else index
        mapped: dict[str, str] = {}
        doubles: dict[str, str] = {}
        taken: set[str] = set()
        ignored: list[str] = []
        for header in headers:
            candidates = [header, *re.split(_PARTS, header)]
            field_name = next((index[fold_header(c)] for c in candidates if fold_header(c) in index), None)
            if field_name not in (None, "note") and fold_header(header) not in index and _details(candidates):
                # "Задержание (подробности)": words about the detention, not its date: a comment (records.py
                # keeps it where only staff read it, as a list's comment may name people).
                field_name = "note"
            if field_name is None:
                ignored.append(header)
            elif field_name in taken:
                doubles[header] = field_name
            else:
                mapped[header] = field_name
                taken.add(field_name)
        return Resolved(mapped, ignored, doubles)


# A heading's parts: two languages ("Дата рождения / Date of birth"), or a field and a qualifier.
_PARTS = re.compile(r"\s*[/|()]\s*|\s+-\s+")
# A qualifier saying that a column holds free text about its field rather than its value (in brackets, or as
# a part: "Дело / обстоятельства", "Регион / адрес"), or an address (a person's: never shown as a field is).
_DETAILS = {
    "подробности", "подробнее", "детали", "обстоятельства", "описание", "комментарий", "комментарии",
    "примечание", "примечания", "падрабязнасці", "падрабязна", "абставіны", "апісанне", "каментар",
    "каментары", "заўвага", "заўвагі", "details", "detail", "description", "circumstances", "comment",
    "comments", "note", "notes", "remarks", "адрес", "адреса", "адрас", "контакты", "кантакты", "address",
    "contacts",
}  # fmt: skip


def _details(parts: list[str]) -> bool:
    return any(fold_header(part) in _DETAILS for part in parts[1:])


class Resolved(NamedTuple):
    mapped: dict[str, str]
    ignored: list[str]
    doubles: dict[str, str]


class MappingError(MessageError):
    """A mapping that cannot be used: no such file, or not the shape a mapping has."""


def load_mapping(path: str | Path | None) -> Mapping:
    """A mapping YAML by path or by shipped name ('viasna'); None gives the built-in header words."""
    if path is None or path == "":
        return Mapping()
    candidate = Path(path)
    if not candidate.exists():
        shipped = MAPPINGS_DIR / f"{path}.yaml"
        if not shipped.exists():
            raise MappingError(
                Message(
                    gettext_noop("mapping %(mapping)s: no such file (shipped: %(shipped)s)"),
                    mapping=repr(path),
                    shipped=shipped_mappings(),
                )
            )
        candidate = shipped
    data = _read_yaml(candidate)
    _known_keys(candidate, data)
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise _shape_error(
            candidate, "columns", gettext_noop("must map fields to lists of headers (name: [ФИО])")
        )
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise MappingError(
            Message(
                gettext_noop("mapping %(mapping)s: unknown fields %(fields)s"),
                mapping=candidate.name,
                fields=sorted(str(f) for f in unknown),
            )
        )
    variants: dict[str, list[str]] = {}
    for key, words in columns.items():
        words = words if isinstance(words, list) else [words]
        if not words or not all(_header(w) for w in words):
            raise _shape_error(
                candidate, f"columns.{key}", gettext_noop("must be a header or a list of headers")
            )
        variants[key] = [str(w) for w in words]
    _listed_once(candidate, variants)
    for key in ("source", "options"):
        if not isinstance(data.get(key) or {}, dict):
            raise _shape_error(candidate, key, gettext_noop("must map keys to values (e.g. title: …)"))
    _check_options(candidate, data.get("options") or {})
    return Mapping(
        name=_name(candidate, data.get("name")),
        variants=variants,
        source=_source(candidate, data.get("source") or {}),
        options=dict(data.get("options") or {}),
    )


# A mapping's keys; `values:` (a map from a list's words to ours) is a wish some mappings were written with.
_KEYS = ("name", "source", "options", "columns")
# Its options, each true or false (records.py reads them).
OPTIONS = ("listed_as_recognized",)
# ImportBatch.mapping holds the name.
_NAME_LENGTH = 100


def _known_keys(path: Path, data: dict[str, Any]) -> None:
    """Refuse a key the import would not read (`colums:`, `values:`): a misspelt key was dropped unseen and
    the list read with the built-in headers."""
    unknown = [str(k) for k in data if k not in _KEYS]
    if "values" in unknown:
        reason = gettext_noop(
            "is not read: value maps are not supported (a list's words are read as they are)"
        )
        raise _shape_error(path, "values", reason)
    if unknown:
        raise MappingError(
            Message(
                gettext_noop("mapping %(mapping)s: unknown key %(key)s (known: %(known)s)"),
                mapping=path.name,
                key=repr(unknown[0]),
                known=list(_KEYS),
            )
        )


def _listed_once(path: Path, variants: dict[str, list[str]]) -> None:
    """Refuse a header listed under two fields (`birth_date: [Born]`, `detained_on: [Born]`): the later one
    took it unseen. Headers are compared as they are matched, folded (Mapping.index)."""
    seen: dict[str, str] = {}
    for field_name, words in variants.items():
        for word in words:
            first = seen.setdefault(fold_header(word), field_name)
            if first != field_name:
                raise MappingError(
                    Message(
                        gettext_noop(
                            "mapping %(mapping)s: %(header)s is listed under %(first)s and %(second)s"
                        ),
                        mapping=path.name,
                        header=repr(word),
                        first=first,
                        second=field_name,
                    )
                )


def _header(word: Any) -> bool:
    """Whether a YAML value is a header: text, or a number written bare (a column headed 2021)."""
    if isinstance(word, bool) or not isinstance(word, str | int | float):
        return False
    return bool(str(word).strip())


def _check_options(path: Path, options: dict[str, Any]) -> None:
    """Each option known and true or false: `listed_as_recognised` was dropped unseen, and "no" (a text in
    quotes) read as true."""
    for key, value in options.items():
        if key not in OPTIONS:
            raise MappingError(
                Message(
                    gettext_noop("mapping %(mapping)s: unknown key %(key)s (known: %(known)s)"),
                    mapping=path.name,
                    key=repr(f"options.{key}"),
                    known=list(OPTIONS),
                )
            )
        if not isinstance(value, bool):
            raise _shape_error(path, f"options.{key}", gettext_noop("must be true or false"))


def _name(path: Path, name: Any) -> str:
    """The mapping's name as its batches record it; the file's name when it gives none."""
    if name is None or name == "":
        return path.stem[:_NAME_LENGTH]
    if not isinstance(name, str) or not name.strip():
        raise _shape_error(path, "name", gettext_noop("must be a text (the mapping's name)"))
    if len(name.strip()) > _NAME_LENGTH:
        raise _shape_error(path, "name", gettext_noop("is longer than 100 characters"))
    return name.strip()


def _source(path: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """The mapping's `source:`, checked as a file's sources are (batch_source): it is cited on every fact the
    import writes, and was stored as written (a `javascript:` link, an unknown reliability, a misspelt key
    dropped unseen)."""
    if not spec:
        return {}
    try:
        return batch_source.checked(spec)
    except batch_source.SourceError as exc:
        raise MappingError(
            Message(
                gettext_noop("mapping %(mapping)s: key '%(key)s': %(reason)s"),
                mapping=path.name,
                key=f"source.{exc.key}",
                reason=exc.reason,
            )
        ) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    """The mapping file's keys; every way a file can fail to be one is a MappingError naming the file."""
    try:
        text = path.read_bytes().decode("utf-8")
    except IsADirectoryError:
        raise _file_error(path, gettext_noop("is a directory, not a mapping file")) from None
    except UnicodeDecodeError:
        raise _file_error(path, gettext_noop("is not UTF-8 text (save it as UTF-8)")) from None
    except OSError as exc:
        # The system's reason (permission denied …) is its own English, passed on as it is.
        raise _file_error(path, gettext_noop("cannot be read"), exc.strerror or str(exc)) from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        # The YAML parser's reason is its own English, passed on as it is.
        raise MappingError(
            Message(
                gettext_noop("mapping %(mapping)s: not valid YAML: %(reason)s"),
                mapping=path.name,
                reason=str(exc),
            )
        ) from None
    if not isinstance(data, dict):
        raise MappingError(
            Message(
                gettext_noop(
                    "mapping %(mapping)s: expected keys (name, source, options, columns), found %(found)s"
                ),
                mapping=path.name,
                found=type(data).__name__,
            )
        )
    return data


def _file_error(path: Path, reason: str, detail: str = "") -> MappingError:
    if detail:
        return MappingError(
            Message(
                gettext_noop("mapping %(mapping)s: %(reason)s: %(detail)s"),
                mapping=path.name,
                reason=Message(reason),
                detail=detail,
            )
        )
    return MappingError(
        Message(gettext_noop("mapping %(mapping)s: %(reason)s"), mapping=path.name, reason=Message(reason))
    )


def _shape_error(path: Path, key: str, reason: str) -> MappingError:
    return MappingError(
        Message(
            gettext_noop("mapping %(mapping)s: key '%(key)s' %(reason)s"),
            mapping=path.name,
            key=key,
            reason=Message(reason),
        )
    )


def shipped_mappings() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml"))
