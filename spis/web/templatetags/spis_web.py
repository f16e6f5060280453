"""Template helpers for the public site: translated labels and query strings that keep the filters."""

from django import template
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext

from spis.web import labels

register = template.Library()

_TABLES = {
    "status": labels.STATUS,
    "event": labels.EVENT,
    "release": labels.RELEASE,
    "regime": labels.REGIME,
    "gender": labels.GENDER,
    "facility_kind": labels.FACILITY_KIND,
    "script": labels.SCRIPT,
    "language": labels.LANGUAGE,
    "name_kind": labels.NAME_KIND,
    "region": labels.REGION,
}


@register.filter
def label(value, table):
    """`{{ person.status|label:"status" }}`: the translated label, or the raw value when unknown."""
    return _TABLES[table].get(value, value)


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current GET parameters with some changed: shareable filter, sort and page links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted((k, v) for k, v in params.items() if v), doseq=False)


@register.filter
def months_display(months):
    """A sentence in years and months, e.g. `3 y 6 m`; empty when unknown."""
    if months in (None, ""):
        return ""
    years, rest = divmod(int(months), 12)
    parts = []
    if years:
        parts.append(gettext("%(n)s y") % {"n": years})
    if rest:
        parts.append(gettext("%(n)s m") % {"n": rest})
    return " ".join(parts) or gettext("%(n)s m") % {"n": 0}


@register.filter
def local_name(obj):
    """A facility's or organisation's name in the page language when the registry has it (name_be, name_ru)."""
    return obj.name_in(get_language())
