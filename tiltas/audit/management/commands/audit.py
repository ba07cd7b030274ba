"""`tiltas audit verify`: prove the audit trail untouched."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiltas.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = "Audit trail operations. `verify` checks the hash chain and the external checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_chain_verify()
        if result.ok:
            self.stdout.write(f"OK {result.entries} entries")
            return
        self.stderr.write(f"FAILED at entry #{result.first_bad_sequence}: {result.problem}")
        raise SystemExit(1)
