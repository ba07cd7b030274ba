"""REST endpoints of linkage (mounted under /api/v1/ by tiltas.config.api_urls), read-only and
without identities: the runs with their quality summaries, and the distinct persons of the
current run per period and breakdown, for reports and other systems to count by the same
clusters as Tiltas. Open to those who read linkage figures, as the pages; readers who do not run
linkage get counts under the country's minimum cell withheld (null), as on the pages."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tiltas.accounts.access import has_permission, require_permission
from tiltas.accounts.roles import Permission
from tiltas.lib.disclosure import breakdown_suppress, count_withheld
from tiltas.linkage.models import LinkageRun
from tiltas.linkage.selectors import (
    BREAKDOWNS,
    distinct_persons_count,
    get_linkage_run_for_user,
    linkage_run_current,
    linkage_runs_visible_to,
)
from tiltas.people.api import api_exception_handler
from tiltas.people.serializers import ValidationErrorSerializer
from tiltas.reference.selectors import minimum_cell

RUNS_LISTED = 100


class LinkageRunSerializer(serializers.ModelSerializer[LinkageRun]):
    class Meta:
        model = LinkageRun
        fields = [
            "id",
            "kind",
            "status",
            "created_at",
            "finished_at",
            "record_count",
            "person_count",
            "splink_version",
            "code_version",
            "settings",
            "error",
        ]
        read_only_fields = fields


class LinkageRunDetailSerializer(LinkageRunSerializer):
    class Meta(LinkageRunSerializer.Meta):
        fields = [*LinkageRunSerializer.Meta.fields, "quality"]
        read_only_fields = fields


class DistinctPersonsQuerySerializer(serializers.Serializer[dict[str, Any]]):
    recorded_from = serializers.DateField(required=False, help_text="First day, included.")
    recorded_to = serializers.DateField(required=False, help_text="Last day, included.")
    breakdown = serializers.ChoiceField(choices=list(BREAKDOWNS), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("recorded_from"), attrs.get("recorded_to")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"recorded_to": _("The period ends before it starts.")}
            )
        if self.context.get("controlled") and (start, end) != (None, None):
            # Two periods a day apart would give, by difference, the count of one day's
            # records, however small: readers under disclosure control count by calendar year.
            whole_year = (
                start is not None
                and end is not None
                and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
                and start.year == end.year
            )
            if not whole_year:
                raise serializers.ValidationError(
                    {
                        "recorded_from": _(
                            "Counts open to you are by calendar year: give 1 January as "
                            "recorded_from and 31 December of the same year as recorded_to, "
                            "or neither for all years."
                        )
                    }
                )
        return attrs


class DistinctPersonsSerializer(serializers.Serializer[dict[str, Any]]):
    run = serializers.UUIDField(
        allow_null=True,
        help_text="The linkage run whose clusters were counted; null before the first run.",
    )
    recorded_from = serializers.DateField(allow_null=True)
    recorded_to = serializers.DateField(allow_null=True)
    breakdown = serializers.CharField(allow_null=True)
    persons = serializers.IntegerField(
        allow_null=True, help_text="Distinct persons with a record in the period; null if withheld."
    )
    cells = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Per breakdown value; a person counts in every cell where a record falls, so "
        "cells may add up to more than the total. Null where withheld.",
    )
    withheld_below = serializers.IntegerField(
        allow_null=True, help_text="Counts under this were withheld; null when exact."
    )


class LinkageApiView(APIView):
    def get_exception_handler(self) -> Any:
        return api_exception_handler


class LinkageRunListApi(LinkageApiView):
    @extend_schema(
        operation_id="linkage_runs_list",
        summary="Linkage runs, newest first",
        description=f"The latest {RUNS_LISTED} runs. For users who read linkage figures; any "
        "other role gets 404, as on the web pages.",
        responses={
            200: LinkageRunSerializer(many=True),
            404: OpenApiResponse(description="Not available to this role."),
        },
        tags=["linkage"],
    )
    def get(self, request: Request) -> Response:
        require_permission(request.user, Permission.LINKAGE_VIEW)
        runs = linkage_runs_visible_to(request.user)[:RUNS_LISTED]
        return Response(LinkageRunSerializer(runs, many=True).data)


class LinkageRunDetailApi(LinkageApiView):
    @extend_schema(
        operation_id="linkage_runs_retrieve",
        summary="One linkage run with its quality summary",
        responses={
            200: LinkageRunDetailSerializer,
            404: OpenApiResponse(description="No such run."),
        },
        tags=["linkage"],
    )
    def get(self, request: Request, linkage_run_id: str) -> Response:
        run = get_linkage_run_for_user(request.user, linkage_run_id)
        return Response(LinkageRunDetailSerializer(run).data)


class DistinctPersonsApi(LinkageApiView):
    @extend_schema(
        operation_id="linkage_distinct_persons",
        summary="Distinct persons of the current linkage run, per period and breakdown",
        description="Readers who do not run linkage get counts under the country's minimum "
        "cell withheld, and count by calendar year or over all years (arbitrary periods would "
        "give small counts away by difference).",
        parameters=[DistinctPersonsQuerySerializer],
        responses={
            200: DistinctPersonsSerializer,
            400: ValidationErrorSerializer,
            404: OpenApiResponse(description="Not available to this role."),
        },
        tags=["linkage"],
    )
    def get(self, request: Request) -> Response:
        require_permission(request.user, Permission.LINKAGE_VIEW)
        minimum = None if has_permission(request.user, Permission.LINKAGE_RUN) else minimum_cell()
        query = DistinctPersonsQuerySerializer(
            data=request.query_params, context={"controlled": minimum is not None}
        )
        query.is_valid(raise_exception=True)
        period = {
            "recorded_from": query.validated_data.get("recorded_from"),
            "recorded_to": query.validated_data.get("recorded_to"),
        }
        breakdown = query.validated_data.get("breakdown")
        run = linkage_run_current()
        if run is None:
            # Not zero persons: nothing has been counted yet.
            empty = {"run": None, **period, "breakdown": breakdown, "persons": None, "cells": {}}
            return Response(DistinctPersonsSerializer({**empty, "withheld_below": minimum}).data)

        total = distinct_persons_count(run=run, **period)
        counts = distinct_persons_count(run=run, breakdown=breakdown, **period) if breakdown else {}
        persons: int | None = total
        cells: dict[str, int | None] = dict(counts)
        if minimum is not None:
            persons = None if count_withheld(total, minimum=minimum) else total
            cells = breakdown_suppress(counts, minimum=minimum)
        body = {
            "run": run.pk,
            **period,
            "breakdown": breakdown or None,
            "persons": persons,
            "cells": cells,
            "withheld_below": minimum,
        }
        return Response(DistinctPersonsSerializer(body).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("linkage/runs/", LinkageRunListApi.as_view(), name="linkage-run-list"),
    path(
        "linkage/runs/<uuid:linkage_run_id>/",
        LinkageRunDetailApi.as_view(),
        name="linkage-run-detail",
    ),
    path("linkage/persons/", DistinctPersonsApi.as_view(), name="linkage-persons"),
]
