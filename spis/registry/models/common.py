from django.db import models
from django.utils.translation import gettext_lazy as _

from ..dates import DAY, PRECISIONS, format_partial


class Confidentiality(models.TextChoices):
    # The levels that access/policy.py interprets; nothing else decides visibility.
    PUBLIC = "public", _("public")
    RESTRICTED = "restricted", _("restricted")
    SEALED = "sealed", _("sealed")


# The levels from the most visible to the least: of two, the stricter is the greater.
STRICTNESS = {Confidentiality.PUBLIC: 0, Confidentiality.RESTRICTED: 1, Confidentiality.SEALED: 2}

# The largest whole number the databases store (a 64-bit integer): a filter past it matches nothing, and
# SQLite raises an OverflowError for it.
LARGEST_INTEGER = 2**63 - 1


def confidentiality_field(help_text: str = "", *, db_index: bool = False) -> models.CharField:
    # Three values, mostly "public": an index would cost every insert and speed up no query.
    return models.CharField(
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
        db_index=db_index,
        help_text=help_text
        or "public: shown to everyone; restricted: researchers and above; sealed: admins and granted editors.",
    )


class ByteOrderCharField(models.CharField):
    """Text compared byte by byte on every database: a sort key (spis.names.collate) is built for that order.

    SQLite's default collation (BINARY) already is; PostgreSQL's default is whatever the cluster was created
    with, and a language collation (en_US, ru_RU) skips spaces and punctuation, so the column is "C" there.
    Set per connection, so the field deconstructs the same on both and migrations do not depend on the vendor.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


def precision_field(help_text: str) -> models.CharField:
    return models.CharField(max_length=5, choices=PRECISIONS, default=DAY, help_text=help_text)


class LocalNameMixin:
    """A name kept in English (`name`) and, where known, in Belarusian and Russian (`name_be`, `name_ru`)."""

    # {language: the language whose name stands in when the registry has none in it}.
    NAME_FALLBACK: dict[str, str] = {}

    def name_in(self, language: str | None) -> str:
        """The name in `language` (a code such as "be" or "be-BY") when the registry has it, else in the
        language NAME_FALLBACK gives for it, else `name`."""
        code = (language or "en")[:2]
        for candidate in (code, self.NAME_FALLBACK.get(code)):
            if candidate and (name := getattr(self, f"name_{candidate}", "")):
                return name
        return self.name


class PartialDateMixin:
    """Models with a `date` + `date_precision` pair show the date as entered."""

    date: object
    date_precision: str

    @property
    def date_display(self) -> str:
        return format_partial(self.date, self.date_precision)  # type: ignore[arg-type]
