"""The REST API: versioned under /api/v1/, described by OpenAPI 3 at /api/schema/. Each domain
contributes the `urlpatterns` of its own api.py."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/", include("tiltas.people.api")),
    path("v1/", include("tiltas.exchange.api")),
    path("v1/", include("tiltas.jobs.api")),
]
