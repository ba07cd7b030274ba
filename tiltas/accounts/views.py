"""Login with a second factor, logout, and the throttling answer."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Too many failed logins for this account from this address (AN-04)."""
    return TemplateResponse(request, "accounts/locked_out.html", status=429)
