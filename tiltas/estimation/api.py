"""REST endpoints of estimation (mounted under /api/v1/ by tiltas.config.api_urls): the stored
runs, read-only, so that reports and other systems cite the same figure by its reference."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tiltas.accounts.access import require_permission
from tiltas.accounts.roles import Permission
from tiltas.estimation.models import EstimationRun, EstimationStratum
from tiltas.estimation.selectors import estimation_runs_visible_to, get_estimation_run_for_user

RUNS_LISTED = 100


class EstimationStratumSerializer(serializers.ModelSerializer[EstimationStratum]):
    class Meta:
        model = EstimationStratum
        fields = [
            "stratum",
            "outcome",
            "observed",
            "estimate",
            "dark_figure",
            "interval_95_low",
            "interval_95_high",
            "interval_80_low",
            "interval_80_high",
            "interval_kind",
            "model",
            "non_overlapping_pairs",
            "warnings",
            "capture_table",
        ]
        read_only_fields = fields


class EstimationRunSerializer(serializers.ModelSerializer[EstimationRun]):
    strata = EstimationStratumSerializer(many=True, read_only=True)

    class Meta:
        model = EstimationRun
        fields = [
            "reference",
            "title",
            "status",
            "period_start",
            "period_end",
            "list_definition",
            "stratify_by",
            "method",
            "threshold",
            "bootstrap",
            "seed",
            "linkage_run",
            "code_version",
            "created_at",
            "finished_at",
            "strata",
        ]
        read_only_fields = fields


class EstimationRunListApi(APIView):
    @extend_schema(
        operation_id="estimates_list",
        summary="Stored estimates of the hidden number of victims, newest first",
        description=f"The latest {RUNS_LISTED} runs. For users who read aggregate figures; "
        "any other role gets 404, as on the web pages.",
        responses={
            200: EstimationRunSerializer(many=True),
            404: OpenApiResponse(description="Not available to this role."),
        },
        tags=["estimation"],
    )
    def get(self, request: Request) -> Response:
        require_permission(request.user, Permission.AGGREGATES_VIEW)
        runs = estimation_runs_visible_to(request.user).prefetch_related("strata")[:RUNS_LISTED]
        return Response(EstimationRunSerializer(runs, many=True).data)


class EstimationRunDetailApi(APIView):
    @extend_schema(
        operation_id="estimates_retrieve",
        summary="One stored estimate by its citable reference",
        responses={200: EstimationRunSerializer, 404: OpenApiResponse(description="No such run.")},
        tags=["estimation"],
    )
    def get(self, request: Request, reference: str) -> Response:
        run = get_estimation_run_for_user(request.user, reference)
        return Response(EstimationRunSerializer(run).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("estimates/", EstimationRunListApi.as_view(), name="estimate-list"),
    re_path(
        r"^estimates/(?P<reference>EST-[0-9]{4}-[0-9]{4,})/$",
        EstimationRunDetailApi.as_view(),
        name="estimate-detail",
    ),
]
