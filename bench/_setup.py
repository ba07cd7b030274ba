"""A throw-away Tiltas database for benchmarks: SQLite in a temporary directory unless
DATABASE_URL is set (then that database is used: point it at a scratch database)."""

import os
import tempfile
from pathlib import Path


def django_for_benchmark() -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="tiltas-bench-"))
    os.environ.setdefault("TILTAS_VAR_DIR", str(workdir))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiltas.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return workdir
