"""The upload form of the import page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tiltas.exchange.readers import max_file_bytes
from tiltas.exchange.registry import RecordKind


def file_too_large_message() -> str:
    limit = max_file_bytes() // (1024 * 1024)
    return _("The file is larger than %(limit)d MB. Split it into smaller files.") % {
        "limit": limit
    }


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of records"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8) or XLSX, with the columns of the template. All rows are stored, or none."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run): store nothing"), required=False
    )

    def __init__(self, *args: Any, kinds: Sequence[RecordKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(kind.name, kind.label) for kind in kinds]

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = max_file_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(file_too_large_message(), code="file_too_large")
        return b"".join(upload.chunks())
