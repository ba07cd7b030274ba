"""The `tiltas` console command: Django's management commands, from any directory."""

import importlib
import os
import sys

# Commands that touch neither the database nor any model start on an empty app registry:
# loading every app costs about a second, more than `tiltas estimate` spends on a bootstrap.
# Their messages are still translated: Tiltas keeps its catalogues in LOCALE_PATHS.
STANDALONE_COMMANDS = {"estimate": "tiltas.estimation.management.commands.estimate"}


def main(argv: list[str] | None = None) -> None:
    """Run a Tiltas management command (`tiltas help` lists them)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiltas.config.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "tiltas"
    standalone = STANDALONE_COMMANDS.get(args[1]) if len(args) > 1 else None
    # --settings and --pythonpath must act before the settings are read: the full path does that
    if standalone and not any(arg.startswith(("--settings", "--pythonpath")) for arg in args):
        from django.apps import apps

        # No logging set-up either: these commands log nothing, and Django's would import its
        # whole web stack for the mail handler.
        apps.populate([])
        importlib.import_module(standalone).Command().run_from_argv(args)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
