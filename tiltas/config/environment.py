"""Reading settings from the environment, and the secrets generated into `var/` on first run."""

import os
import secrets
from pathlib import Path

# The repository (or installation) root: `var/` lives beside the package unless TILTAS_VAR_DIR says
# otherwise, so the command works the same from any directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A well-known placeholder that production refuses, so a copied example never becomes a real key.
DEFAULT_SECRET_PLACEHOLDER = "change-me"  # noqa: S105 - a sentinel, never a real secret


MINIMUM_SECRET_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why `key` is unfit for production, or None."""
    if not key:
        return "TILTAS_SECRET_KEY is not set."
    if key == DEFAULT_SECRET_PLACEHOLDER or key.startswith("django-insecure"):
        return "TILTAS_SECRET_KEY is a default placeholder; generate a random key."
    if len(key) < MINIMUM_SECRET_LENGTH or len(set(key)) < 5:
        return (
            f"TILTAS_SECRET_KEY must be a random string of at least {MINIMUM_SECRET_LENGTH} "
            "characters."
        )
    return None


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def var_dir() -> Path:
    path = Path(os.environ.get("TILTAS_VAR_DIR", PROJECT_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_or_create_secret(path: Path, nbytes: int = 50) -> str:
    """Return the secret stored at `path`, generating it (owner-readable only) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(nbytes)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    try:
        # A hard link appears complete or not at all; if another process won, use its secret.
        os.link(tmp, path)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    finally:
        tmp.unlink(missing_ok=True)
    return value
