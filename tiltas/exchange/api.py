"""REST endpoints of the exchange domain (mounted under /api/v1/ by tiltas.config.api_urls).

POST imports/ runs an import as a background job on behalf of the caller's organisation. With the
in-process backend the job has finished when the answer comes: 201 when stored (or valid, for a
dry run), 400 with every error when refused. With a worker it answers 202; follow the job at
/api/v1/jobs/{id}/ and read the outcome at /api/v1/imports/{job}/."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tiltas.accounts.models import User
from tiltas.exchange.forms import file_too_large_message
from tiltas.exchange.models import ImportOutcome, ImportRun
from tiltas.exchange.registry import UnknownRecordKindError, kind_get
from tiltas.exchange.selectors import get_import_run_for_user, kinds_importable_by
from tiltas.exchange.services import ImportNotAllowedError, import_errors, import_submit
from tiltas.exchange.uploads import uploads_in_memory
from tiltas.exchange.views import template_response
from tiltas.jobs.models import JobStatus


class ImportRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="Record kind, e.g. person (`tiltas import --list`).")
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX with the template's columns.")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Check the whole file, store nothing."
    )


class CellErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="1-based data row; 0: the header or the whole file.")
    column = serializers.CharField(allow_blank=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ImportOutcomeSerializer(serializers.Serializer[Any]):
    job = serializers.UUIDField()
    kind = serializers.CharField()
    dry_run = serializers.BooleanField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    outcome = serializers.ChoiceField(choices=ImportOutcome.choices)
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = CellErrorSerializer(many=True)  # type: ignore[assignment]  # a declared field; DRF's metaclass moves it off the class


class RequestErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class RequestErrorsSerializer(serializers.Serializer[Any]):
    errors = RequestErrorSerializer(many=True)  # type: ignore[assignment]  # as above


def _outcome(run: ImportRun) -> dict[str, Any]:
    errors = import_errors(run) if run.outcome == ImportOutcome.REFUSED else []
    return {
        "job": run.job_id,
        "kind": run.kind,
        "dry_run": run.dry_run,
        "status": run.job.status,
        "outcome": run.outcome,
        "rows": run.rows,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "errors": [error.as_dict() for error in errors],
    }


def _request_errors(detail: Any) -> list[dict[str, str]]:
    errors = []
    for field, problems in detail.items():
        for problem in problems:
            errors.append({"field": str(field), "code": str(problem.code), "message": str(problem)})
    return errors


class ImportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Before anything parses the body: the file must stay in memory, never on disk.
        self.upload_handler = uploads_in_memory(request)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="imports_create",
        summary="Import a CSV or XLSX file (all rows or none)",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            201: ImportOutcomeSerializer,
            202: OpenApiResponse(
                ImportOutcomeSerializer, description="Queued: follow /api/v1/jobs/{job}/."
            ),
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ImportRefusal",
                    serializers=[ImportOutcomeSerializer, RequestErrorsSerializer],
                    resource_type_field_name=None,
                ),
                description="Nothing was stored. A refused file: the outcome with every "
                "problem in `errors` (row, column, code, message). A malformed request: "
                "`errors` of {field, code, message}.",
            ),
            404: OpenApiResponse(description="No such record kind for this caller."),
        },
        tags=["imports"],
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not isinstance(user, User) or not kinds_importable_by(user):
            raise Http404
        body = ImportRequestSerializer(data=request.data)
        if self.upload_handler.too_large:
            error = {"field": "file", "code": "file_too_large", "message": file_too_large_message()}
            return Response({"errors": [error]}, status=status.HTTP_400_BAD_REQUEST)
        if not body.is_valid():
            return Response(
                {"errors": _request_errors(body.errors)}, status=status.HTTP_400_BAD_REQUEST
            )
        upload = body.validated_data["file"]
        try:
            kind = kind_get(body.validated_data["kind"])
            run = import_submit(
                user=user,
                kind=kind,
                content=b"".join(upload.chunks()),
                dry_run=body.validated_data["dry_run"],
                channel="api",
            )
        except (UnknownRecordKindError, ImportNotAllowedError):
            raise Http404 from None
        data = _outcome(run)
        answer: int
        if not run.job.is_finished:
            answer = status.HTTP_202_ACCEPTED
        elif run.outcome in (ImportOutcome.STORED, ImportOutcome.VALID):
            answer = status.HTTP_201_CREATED
        elif run.outcome == ImportOutcome.REFUSED:
            answer = status.HTTP_400_BAD_REQUEST
        else:
            answer = status.HTTP_500_INTERNAL_SERVER_ERROR
        response = Response(data, status=answer)
        response["Location"] = reverse("api:import-detail", kwargs={"job_id": run.job_id})
        return response


class ImportDetailApi(APIView):
    @extend_schema(
        operation_id="imports_retrieve",
        summary="The outcome of an import (with every error when refused)",
        responses={
            200: ImportOutcomeSerializer,
            404: OpenApiResponse(description="No such import."),
        },
        tags=["imports"],
    )
    def get(self, request: Request, job_id: uuid.UUID) -> Response:
        run = get_import_run_for_user(request.user, job_id=job_id)
        return Response(_outcome(run))


class ImportTemplateApi(APIView):
    @extend_schema(
        operation_id="imports_template",
        summary="The import template of a record kind (header and an example row)",
        description="The XLSX template also has a 'columns' sheet describing every column.",
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiTypes.BINARY
            ),
            404: OpenApiResponse(description="No such record kind for this caller."),
        },
        tags=["imports"],
    )
    def get(self, request: Request, kind: str, file_format: str) -> HttpResponse:
        found = [item for item in kinds_importable_by(request.user) if item.name == kind]
        if not found:
            raise Http404
        return template_response(found[0], file_format)


urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/", ImportApi.as_view(), name="import-create"),
    path("imports/<uuid:job_id>/", ImportDetailApi.as_view(), name="import-detail"),
    re_path(
        r"^imports/templates/(?P<kind>[a-z0-9_]+)\.(?P<file_format>csv|xlsx)$",
        ImportTemplateApi.as_view(),
        name="import-template",
    ),
]
