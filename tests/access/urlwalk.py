"""Every URL of the site from the resolver, with parameters filled from the data in the database."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

SKIP_PREFIXES = ("admin/", "i18n/", "account/logout", "static/", "api/docs", "api/schema")
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def fill(route: str, values: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """All concrete paths for a route; and the parameter names we had no values for."""
    # Regex routes (DRF's format suffixes, re_path): named groups become <name>; anchors and optional slashes go.
    route = _GROUP.sub(lambda m: f"<{m.group('name')}>", route).replace("^", "").replace("$", "")
    route = route.replace("\\Z", "").replace("/?", "/")
    names = [m.group("name") for m in _PARAM.finditer(route)]
    missing = [n for n in names if n not in values]
    if missing or "(?" in route:
        return [], missing or [route]
    paths = []
    for combo in itertools.product(*(values[n] for n in names)):
        given = dict(zip(names, combo, strict=True))
        paths.append("/" + _PARAM.sub(lambda m, given=given: str(given[m.group("name")]), route))
    return paths, []


def site_paths(values: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    paths, unfilled = [], []
    for route in patterns():
        if route.startswith(SKIP_PREFIXES):
            continue
        got, missing = fill(route, values)
        paths.extend(got)
        if missing:
            unfilled.append(f"{route} ({', '.join(missing)})")
    return sorted(set(paths)), unfilled
