"""Session lifetime (SE-02) and the second-factor requirement (AN-01)."""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

SESSION_STARTED_KEY = "tiltas_session_started"
SESSION_LAST_SEEN_KEY = "tiltas_session_last_seen"

# Paths usable before the second factor: logging in, the factor itself, logging out, language,
# static files and the health probe. Everything else, other account pages included, needs it.
PUBLIC_PATH_PREFIXES = (
    "/accounts/login/",
    "/accounts/second-factor/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/health",
)


class SessionExpiryMiddleware:
    """Ends a session after 15 minutes without a request or 12 hours after login, whichever
    comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if SESSION_STARTED_KEY not in request.session:
                mark_session_started(request)
            now = timezone.now()
            started = datetime.fromisoformat(request.session[SESSION_STARTED_KEY])
            last_seen = datetime.fromisoformat(
                request.session.get(SESSION_LAST_SEEN_KEY, request.session[SESSION_STARTED_KEY])
            )
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                return _login_required_response(request)
            request.session[SESSION_LAST_SEEN_KEY] = now.isoformat()
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A password alone opens nothing but the second-factor pages (demo accounts excepted)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not getattr(user, "is_demo", False)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and not request.path.startswith(PUBLIC_PATH_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Second factor required."}, status=401)
            return HttpResponseRedirect(reverse("accounts:second_factor"))
        return self.get_response(request)


def mark_session_started(request: HttpRequest) -> None:
    """Called at login: the absolute session lifetime counts from here."""
    now = timezone.now().isoformat()
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_LAST_SEEN_KEY] = now


def _login_required_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Session expired."}, status=401)
    return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
