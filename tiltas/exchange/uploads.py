"""Receiving an import file without ever writing it to disk: it holds identities in clear, and
Django would spool an upload over 2.5 MB to a temporary file."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from tiltas.exchange.readers import max_file_bytes


class InMemoryUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory up to the import size limit; a larger one is dropped
    as it streams in, and `too_large` says so."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self.buffer = BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > max_file_bytes():
            self.too_large = True
            self.buffer = BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def uploads_in_memory(request: HttpRequest) -> InMemoryUploadHandler:
    """Make `request` keep its uploads in memory only (before anything reads request.POST)."""
    handler = InMemoryUploadHandler(request)
    request.upload_handlers = [handler]
    return handler
