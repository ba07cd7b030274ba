"""API authentication: per-user tokens for machine clients, verified sessions for the browser."""

from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tiltas.accounts.models import User
from tiltas.accounts.services import api_token_find


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <secret>`; the token acts as its user, within the user's
    organisation and roles."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = api_token_find(secret=secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        token.last_used_at = timezone.now()
        token.save(update_fields=["last_used_at"])
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, only once the second factor is verified (or for demo accounts)."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not user.is_demo and not user.is_verified():
            return None
        return user, None
