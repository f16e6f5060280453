"""Whole public pages cached for anonymous visitors until the registry changes.

What an anonymous visitor sees depends only on the registry's data, the URL (host and scheme included), the
language and the day, so a rendered page can be served again while none of those changed. The registry's
version is the head of the audit chain, the newest spell id and the generation counter that every committed
save raises (spis.registry.generation.registry_version, one statement per request): every write - a new
person, a correction, a person sealed, a name restricted in the admin - changes it, so a sealed person leaves
every cached page at the moment the write commits, not when a timeout runs out. Here, in access, because what
the public may be served is a visibility question; the site's and the campaigns' public views use it.

Never cached: signed-in users (staff see more than the public, and their pages carry their name), visitors
with a session or pending messages, anything but a 200 GET/HEAD. The one per-visitor part of a public page,
the CSRF token of the language form, is cut out before storing and a fresh one is put in on every hit, so
CSRF protection works exactly as on an uncached page.
"""

from __future__ import annotations

import hashlib
import re
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from spis.registry.generation import registry_version

# A day bounds how long a page of a registry changed outside actions.py (a raw SQL fix) could be served.
TIMEOUT = 24 * 3600
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_SLOT = b"\x00spis-csrf-slot\x00"


def _cacheable(request: Any) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(request: Any) -> str:
    # The host and scheme too: no public page prints an absolute URL today, and one that did must never be
    # served to a visitor who asked another (allowed) host.
    parts = (
        registry_version(),
        get_language(),
        timezone.now().date().isoformat(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )
    return "spis:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def public_page(view: Any) -> Any:
    """Serve `view`'s page from the page cache for anonymous visitors; see the module docstring."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        store = caches["pages"]
        key = _key(request)
        found = store.get(key)
        if found is not None:
            body, content_type = found
            if _SLOT in body:
                body = body.replace(_SLOT, get_token(request).encode())
            return HttpResponse(body, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            body = _TOKEN.sub(rb"\1" + _SLOT + rb"\2", response.content)
            store.set(key, (body, response["Content-Type"]), TIMEOUT)
        return response

    return wrapped
