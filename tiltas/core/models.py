"""The base model every domain record stands on."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """A UUID primary key (known before the first save, so ciphertexts can be bound to it) and
    creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
