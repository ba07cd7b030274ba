"""The OpenAPI description of the whole API and its documentation page.

Both are served only to an authenticated user (a token or a verified browser session): the
description names no personal data, but the API of a victim register is not advertised to
anyone who asks (CF-06). Authentication failures are documented here once for every operation,
so that each domain's api.py only documents the answers of its own endpoints.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # registry hook
    """`Authorization: Token <secret>`: how machine clients authenticate (see docs/howto/api.md)."""

    target_class = "tiltas.accounts.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token: `Token <secret>`. Create one with "
            "`tiltas api_token create USERNAME NAME`; it acts as its user.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # registry
    """The browser session (after the second factor), for the documentation page's "try it"."""

    target_class = "tiltas.accounts.api_auth.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A browser session with its second factor verified; unsafe methods "
            "also need the CSRF token.",
        }


def _requires_authentication(operation: dict[str, Any]) -> bool:
    security = operation.get("security") or []
    # drf-spectacular adds an empty requirement ({}) when anonymous access is allowed.
    return bool(security) and all(requirement for requirement in security)


def _uses_session(operation: dict[str, Any], schemes: dict[str, Any]) -> bool:
    return any(
        schemes.get(name, {}).get("in") == "cookie"
        for requirement in operation.get("security") or []
        for name in requirement
    )


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}
        },
    }


def postprocess_document_auth_failures(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Document, on every operation that requires a login, the answers every such operation
    can give before its own code runs: 401 without valid credentials (with a
    `WWW-Authenticate: Token` challenge), for browser sessions 403 on a failed CSRF check, and
    415 for a body in a media type the operation does not parse."""
    components = result.setdefault("components", {})
    schemes = components.get("securitySchemes", {})
    needs_error_component = False
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or not _requires_authentication(operation):
                continue
            responses = operation.setdefault("responses", {})
            if "401" not in responses:
                unauthorised = _error_response(
                    "No valid credentials: no token, an unknown, expired or revoked token, a "
                    "deactivated user, or a browser session without its second factor."
                )
                unauthorised["headers"] = {
                    "WWW-Authenticate": {
                        "schema": {"type": "string"},
                        "description": "The authentication scheme to use (`Token`).",
                    }
                }
                responses["401"] = unauthorised
                needs_error_component = True
            if (
                method in _UNSAFE_METHODS
                and _uses_session(operation, schemes)
                and "403" not in responses
            ):
                responses["403"] = _error_response("Browser sessions only: the CSRF check failed.")
                needs_error_component = True
            if "requestBody" in operation and "415" not in responses:
                # DRF answers 415 before the view runs when the body's media type (or a
                # malformed multipart envelope) is not one the operation parses.
                responses["415"] = _error_response(
                    "The body is not in a media type this operation accepts; nothing was stored."
                )
                needs_error_component = True
    if needs_error_component:
        components.setdefault("schemas", {}).setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    return result


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI 3 description (YAML; JSON with `Accept: application/vnd.oai.openapi+json`
    or `?format=json`)."""

    permission_classes = [IsAuthenticated]


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI over the description, from our own static files. The split view serves its
    start-up script from this same URL (`?script`), so the page needs no inline script and the
    Content-Security-Policy (`script-src 'self'`) stays as strict as everywhere else."""

    permission_classes = [IsAuthenticated]
    url_name = "api:schema"
    template_name = "web/api_docs.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # No validator badge: Swagger UI would otherwise send the schema URL to
        # validator.swagger.io, outside the closed network.
        swagger_settings = {"deepLinking": True, "validatorUrl": None}
        with patched_settings({"SWAGGER_UI_SETTINGS": swagger_settings}):
            response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]  # untyped base
        return response

    # DRF accepts any HttpResponseBase from here (finalize_response); its stubs say Response.
    def handle_exception(self, exc: Exception) -> HttpResponseBase:  # type: ignore[override]
        # A person opening the page in a browser is sent to the login page, not shown JSON.
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path(), settings.LOGIN_URL)
        response: HttpResponseBase = super().handle_exception(exc)
        return response
