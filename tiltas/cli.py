"""The `tiltas` console command: Django's management commands, from any directory."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Tiltas management command (`tiltas help` lists them)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiltas.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "tiltas"
    execute_from_command_line(args)
