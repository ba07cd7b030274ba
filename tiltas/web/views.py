"""Pages shared by every domain: health check and home."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer; reveals nothing about the data."""
    return JsonResponse({"status": "ok"})
