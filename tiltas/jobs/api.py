"""REST endpoints of the jobs domain (mounted under /api/v1/ by tiltas.config.api_urls)."""

from __future__ import annotations

import uuid

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tiltas.accounts.models import Organisation
from tiltas.jobs.models import Job
from tiltas.jobs.selectors import get_job_for_user


class JobSerializer(serializers.ModelSerializer[Job]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "organisation",
            "channel",
            "status",
            "stage",
            "done",
            "total",
            "percent",
            "result",
            "error_message",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobDetailApi(APIView):
    @extend_schema(
        operation_id="jobs_retrieve",
        summary="A background job's progress and outcome",
        description="Jobs run on behalf of the caller's organisation; any other job answers 404.",
        responses={200: JobSerializer, 404: OpenApiResponse(description="No such job.")},
        tags=["jobs"],
    )
    def get(self, request: Request, job_id: uuid.UUID) -> Response:
        job = get_job_for_user(request.user, job_id)
        return Response(JobSerializer(job).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("jobs/<uuid:job_id>/", JobDetailApi.as_view(), name="job-detail"),
]
