"""`tiltas organisations`: code, type and name of every organisation, one per line."""

from typing import Any

from django.core.management.base import BaseCommand

from tiltas.accounts.models import Organisation


class Command(BaseCommand):
    help = "List every organisation: code, type and name, tab-separated."

    def handle(self, *args: Any, **options: Any) -> None:
        for organisation in Organisation.objects.select_related("type").order_by("code"):
            self.stdout.write(f"{organisation.code}\t{organisation.type.code}\t{organisation.name}")
