class SecurityHeadersMiddleware:
    """Content Security Policy and related headers on every response (Django sets HSTS, frame and referrer)."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path or query string is refused with 400: PostgreSQL text cannot hold one, and no
    name, filter or date contains it (found by schemathesis on PostgreSQL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        if "\x00" in request.path or any("\x00" in v for values in request.GET.lists() for v in values[1]):
            return HttpResponseBadRequest("NUL bytes are not allowed in URLs")
        return self.get_response(request)
