"""Pages of the import framework: upload, progress and result, error report, templates."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from tiltas.accounts.models import User
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record
from tiltas.exchange.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    error_report_rows,
)
from tiltas.exchange.forms import ImportUploadForm, file_too_large_message
from tiltas.exchange.models import ImportOutcome
from tiltas.exchange.registry import RecordKind
from tiltas.exchange.selectors import get_import_run_for_user, kinds_importable_by
from tiltas.exchange.services import AUDIT_OBJECT_TYPE, import_errors, import_submit
from tiltas.exchange.templates import (
    template_csv_bytes,
    template_filename,
    template_xlsx_bytes,
)
from tiltas.exchange.uploads import InMemoryUploadHandler, uploads_in_memory

ERRORS_SHOWN = 1000


def _importable_kinds(request: HttpRequest) -> list[RecordKind]:
    kinds = kinds_importable_by(request.user)
    if not kinds:
        raise Http404
    return kinds


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


# CSRF is checked inside, once the upload handler is in place: the middleware would read the
# body first and spool a large file to disk.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    handler = uploads_in_memory(request)
    return _import_upload(request, handler)


@csrf_protect
def _import_upload(request: HttpRequest, handler: InMemoryUploadHandler) -> HttpResponse:
    kinds = _importable_kinds(request)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, kinds=kinds)
        if handler.too_large:
            form.add_error("file", file_too_large_message())
        elif form.is_valid():
            kind = next(kind for kind in kinds if kind.name == form.cleaned_data["kind"])
            run = import_submit(
                user=_user(request),
                kind=kind,
                content=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                channel="web",
            )
            return redirect("exchange:result", job_id=run.job_id)
    else:
        form = ImportUploadForm(kinds=kinds)
    return render(request, "exchange/upload.html", {"form": form, "kinds": kinds})


@login_required
@require_GET
def import_result(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    run = get_import_run_for_user(request.user, job_id=job_id)
    errors = import_errors(run) if run.outcome == ImportOutcome.REFUSED else []
    return render(
        request,
        "exchange/result.html",
        {
            "run": run,
            "job": run.job,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        },
    )


@login_required
@require_GET
def import_error_report(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Every error of a refused import as CSV (cells made formula-safe)."""
    run = get_import_run_for_user(request.user, job_id=job_id)
    if run.outcome != ImportOutcome.REFUSED:
        raise Http404
    errors = import_errors(run)
    with transaction.atomic():
        audit_record(
            actor=actor_for_user(request.user, channel="web"),
            event=AuditEvent(
                "export",
                AUDIT_OBJECT_TYPE,
                str(run.pk),
                "import error report",
                detail={"errors": len(errors)},
            ),
        )
    response = HttpResponse(csv_bytes(error_report_rows(errors)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{job_id}-errors.csv"'
    return response


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/templates.html", {"kinds": _importable_kinds(request)})


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    found = [item for item in _importable_kinds(request) if item.name == kind]
    if not found:
        raise Http404
    return template_response(found[0], file_format)


def template_response(kind: RecordKind, file_format: str) -> HttpResponse:
    """A template as a download (shared with the API)."""
    if file_format == "csv":
        response = HttpResponse(template_csv_bytes(kind), content_type=CSV_CONTENT_TYPE)
    elif file_format == "xlsx":
        response = HttpResponse(template_xlsx_bytes(kind), content_type=XLSX_CONTENT_TYPE)
    else:
        raise Http404
    filename = template_filename(kind, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
