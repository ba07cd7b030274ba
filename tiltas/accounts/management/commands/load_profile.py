"""`tiltas load_profile [lt|PATH]`: load a country profile (reference tables and organisations)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiltas.accounts.services import organisations_load
from tiltas.reference.services import ProfileError, profile_read, reference_load


class Command(BaseCommand):
    help = "Load a country profile: a bundled one by name (lt) or a JSON file by path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("profile", nargs="?", default="lt")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            profile = profile_read(options["profile"])
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        country = reference_load(profile=profile)
        organisations = organisations_load(profile=profile)
        self.stdout.write(
            f"Loaded profile {country.code} ({country.name}): {len(organisations)} organisations"
        )
