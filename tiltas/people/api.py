"""REST endpoints of the people domain (mounted under /api/v1/ by tiltas.config.api_urls)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
