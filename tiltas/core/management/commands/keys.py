"""`tiltas keys status|rotate|reencrypt|retire KEY`: the data-encryption key life cycle."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiltas.core.keys import KeyInUseError, key_retire, keys_rotate, keys_usage, records_reencrypt


class Command(BaseCommand):
    help = (
        "Data-encryption keys. `rotate` makes a new key active and re-encrypts every record; "
        "`reencrypt` resumes an interrupted re-encryption; `retire KEY` removes an unused key; "
        "`status` shows how many ciphertexts each key seals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["status", "rotate", "reencrypt", "retire"])
        parser.add_argument("key_id", nargs="?", help="the key to retire")
        parser.add_argument(
            "--index-key",
            action="store_true",
            help="with rotate: also replace the blind-index key and rebuild every index",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operation = options["operation"]
        if operation == "status":
            for usage in keys_usage():
                marker = " (active)" if usage.active else ""
                self.stdout.write(f"{usage.key_id}{marker}: {usage.ciphertexts} ciphertexts")
        elif operation == "rotate":
            key_id = keys_rotate(index_key=options["index_key"])
            count = records_reencrypt(reindex=options["index_key"])
            self.stdout.write(f"Active key {key_id}; {count} records re-encrypted")
        elif operation == "reencrypt":
            count = records_reencrypt()
            self.stdout.write(f"{count} records re-encrypted")
        else:
            if not options["key_id"]:
                raise CommandError("retire: name the key to retire (see `tiltas keys status`)")
            try:
                key_retire(key_id=options["key_id"])
            except KeyInUseError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Key {options['key_id']} retired")
