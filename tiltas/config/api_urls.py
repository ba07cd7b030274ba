"""The REST API: versioned under /api/v1/, described by OpenAPI 3 at /api/schema/ and documented
at /api/docs/ (both for authenticated users only, see tiltas.config.api_schema). Each domain
contributes the `urlpatterns` of its own api.py."""

from django.urls import URLPattern, URLResolver, include, path

from tiltas.config.api_schema import ApiDocsView, ApiSchemaView

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("v1/", include("tiltas.people.api")),
    path("v1/", include("tiltas.exchange.api")),
    path("v1/", include("tiltas.jobs.api")),
    path("v1/", include("tiltas.estimation.api")),
    path("v1/", include("tiltas.linkage.api")),
]
