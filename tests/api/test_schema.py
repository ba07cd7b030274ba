"""The API description and its documentation page: complete (every /api/v1/ route is in it),
clean of personal data in URLs (API-05), and reachable only under the documented conditions
(CF-06) without weakening the Content-Security-Policy."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from tests.api.conftest import generated_schema
from tiltas.accounts.services import api_token_create
from tiltas.accounts.testing import persona, verified_client

pytestmark = pytest.mark.usefixtures("lt_profile")

SCHEMA = "/api/schema/"
DOCS = "/api/docs/"
JSON = "application/vnd.oai.openapi+json"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# Parameter names that would carry personal data in a URL or an access log.
PERSONAL_WORDS = re.compile(
    r"name|birth|dob|document|passport|address|contact|phone|mail|note", re.IGNORECASE
)


def _token_client(user: Any) -> Client:
    _, secret = api_token_create(user=user, name="schema")
    return Client(headers={"authorization": f"Token {secret}"})


@pytest.fixture
def schema() -> dict[str, Any]:
    response = _token_client(persona("LT-LCPB", "caseworker")).get(SCHEMA, headers={"accept": JSON})
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _openapi_path(pattern: URLPattern | URLResolver) -> str:
    """A URL pattern's piece as OpenAPI writes it: <uuid:job_id> and (?P<job_id>...) -> {job_id}."""
    if isinstance(pattern.pattern, RegexPattern):
        text = str(pattern.pattern).removeprefix("^").removesuffix("$")
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text)
        return re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def _api_routes() -> list[tuple[str, Any]]:
    """(OpenAPI path, view class) of every URL pattern under /api/v1/."""
    routes: list[tuple[str, Any]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + _openapi_path(pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith("api/v1/"):
                routes.append((f"/{route}", getattr(pattern.callback, "cls", None)))

    walk(get_resolver().url_patterns, "")
    return routes


def test_served_schema_is_the_one_the_schemathesis_run_tests(schema):
    assert schema == generated_schema()


def test_every_api_route_and_method_is_in_the_schema(schema):
    routes = _api_routes()
    assert routes, "no /api/v1/ routes found"
    for path, view in routes:
        assert path in schema["paths"], f"{path} is missing from the OpenAPI schema"
        implemented = {m for m in HTTP_METHODS if view is not None and hasattr(view, m)}
        assert implemented <= set(schema["paths"][path]), (path, implemented)


def test_schema_lists_nothing_outside_the_versioned_api(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_every_operation_requires_authentication_and_documents_401(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("security"), f"{method} {path} declares no authentication"
            assert {} not in operation["security"], f"{method} {path} allows anonymous access"
            assert "401" in operation["responses"], f"{method} {path} does not document 401"


def test_no_url_parameter_carries_personal_data(schema):
    # API-05: names, dates of birth, documents... only ever travel in request bodies.
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("path", "query"):
                    assert not PERSONAL_WORDS.search(parameter["name"]), (
                        f"{method} {path} takes {parameter['name']!r} in the {parameter['in']}"
                    )


def test_person_endpoints_document_every_answer(schema):
    persons = schema["paths"]["/api/v1/persons/"]
    person = schema["paths"]["/api/v1/persons/{person_id}/"]
    assert set(persons["get"]["responses"]) >= {"200", "401"}
    assert set(persons["post"]["responses"]) >= {"201", "400", "401", "404"}
    assert set(person["get"]["responses"]) >= {"200", "401", "404"}
    for method in ("put", "patch"):
        assert set(person[method]["responses"]) >= {"200", "400", "401", "404", "412", "428"}
        [if_match] = [p for p in person[method]["parameters"] if p["name"] == "If-Match"]
        assert if_match["in"] == "header" and if_match["required"]
    search = schema["paths"]["/api/v1/persons/search/"]
    assert set(search) == {"post"}
    assert set(search["post"]["responses"]) >= {"200", "400", "401"}


def test_request_bodies_refuse_undeclared_fields(schema):
    components = schema["components"]["schemas"]
    for name in ("PersonWriteRequest", "PatchedPersonWriteRequest", "PersonSearchRequest"):
        assert components[name]["additionalProperties"] is False
        assert not {"owner", "id", "version", "created_by"} & set(components[name]["properties"])


def test_token_scheme_is_documented(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")


def test_anonymous_client_cannot_read_the_schema():
    response = Client().get(SCHEMA)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_password_only_session_cannot_read_the_schema():
    client = Client()
    client.force_login(
        persona("LT-LCPB", "caseworker"), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert client.get(SCHEMA).status_code == 401


def test_docs_page_for_a_logged_in_user_keeps_the_strict_csp():
    client = verified_client(persona("LT-LCPB", "caseworker"))
    response = client.get(DOCS)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = response.content.decode()
    # Every script is a file from this server: no inline code, no CDN.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_docs_start_up_script_is_served_from_the_same_origin_without_the_validator():
    client = verified_client(persona("LT-LCPB", "caseworker"))
    [script_url] = re.findall(
        r'<script src="([^"]*script=[^"]*)"', client.get(DOCS).content.decode()
    )
    response = client.get(script_url.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert '"/api/schema/"' in script
    # Without validatorUrl: null, Swagger UI would send the schema URL to validator.swagger.io.
    assert '"validatorUrl": null' in script


def test_anonymous_visitor_of_the_docs_page_is_sent_to_login():
    response = Client().get(DOCS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/docs/")


def test_password_only_session_cannot_open_the_docs():
    client = Client()
    client.force_login(
        persona("LT-LCPB", "caseworker"), backend="django.contrib.auth.backends.ModelBackend"
    )
    response = client.get(DOCS)
    assert response.status_code == 401
