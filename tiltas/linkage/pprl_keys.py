"""The organisations' key for privacy-preserving linkage: a file outside the database.

Records of organisations whose type does not share identities enter a linkage run only as keyed
encodings (engine/pprl.py). The key is theirs, not the analysts': it lives in the file named by
settings.PPRL_KEY_FILE (TILTAS_PPRL_KEY_FILE), is never stored in the database, never logged and
never recorded with a run. In development it is generated on first use, as the other key files
are; production never invents it (a key the organisations do not hold would be no key of
theirs) and refuses to link until the file is provided."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tiltas.config.environment import read_or_create_secret

# Random bytes behind a generated key (printed as 64 URL-safe characters, which
# pprl_key_read takes as they are): twice the engine's minimum.
GENERATED_KEY_BYTES = 48


class PprlKeyUnavailableError(Exception):
    """The key cannot be used; the message names the file and what to do, never the key."""


def pprl_key_path() -> Path:
    return Path(settings.PPRL_KEY_FILE)


def pprl_key() -> bytes:
    """The organisations' encoding key, generated on first use outside production (0600,
    created once even when several processes ask at the same time)."""
    # Imported here: the engine package loads Splink, which web processes never need.
    from tiltas.linkage.engine.pprl import PprlKeyError, pprl_key_read

    path = pprl_key_path()
    if not path.exists():
        if settings.PRODUCTION:
            raise PprlKeyUnavailableError(
                _(
                    "The organisations' encoding key file %(path)s is missing: in production it "
                    "is provided, never generated (for example: openssl rand -hex 32 > "
                    "%(path)s; chmod 600 %(path)s; set TILTAS_PPRL_KEY_FILE if it lives "
                    "elsewhere)."
                )
                % {"path": path}
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        read_or_create_secret(path, nbytes=GENERATED_KEY_BYTES)
    try:
        return pprl_key_read(path)
    except PprlKeyError as exc:
        raise PprlKeyUnavailableError(
            _("The organisations' encoding key cannot be used: %(reason)s.") % {"reason": exc}
        ) from exc
