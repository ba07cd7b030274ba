"""Response hardening shared by every page and endpoint."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreForAuthenticatedMiddleware:
    """Authenticated responses may carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
