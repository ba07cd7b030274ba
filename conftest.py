"""Test-wide isolation: every test gets its own audit checkpoint and the run its own key ring and
PPRL key, never the development ones under var/."""

from collections.abc import Iterator

import pytest
from django.conf import settings

from tiltas.core.encryption import reload_keyring


@pytest.fixture(autouse=True)
def _isolated_secrets(
    tmp_path_factory: pytest.TempPathFactory, tmp_path_factory_checkpoint: str
) -> Iterator[None]:
    old_keyring, old_checkpoint = settings.DATA_KEYRING_FILE, settings.AUDIT_CHECKPOINT_FILE
    old_pprl_key = settings.PPRL_KEY_FILE
    settings.DATA_KEYRING_FILE = str(tmp_path_factory.getbasetemp() / "data-keyring.json")
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory_checkpoint
    settings.PPRL_KEY_FILE = str(tmp_path_factory.getbasetemp() / "pprl.key")
    reload_keyring()
    yield
    settings.DATA_KEYRING_FILE, settings.AUDIT_CHECKPOINT_FILE = old_keyring, old_checkpoint
    settings.PPRL_KEY_FILE = old_pprl_key
    reload_keyring()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request in Lithuanian leaves it active in
    the thread, and a later test's output would change with the order of the tests."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Argon2id with test-sized cost (tiltas.accounts.testing.FastArgon2PasswordHasher)."""
    from django.test.utils import override_settings

    from tiltas.accounts.testing import TEST_PASSWORD_HASHERS

    with override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        yield


@pytest.fixture
def tmp_path_factory_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh checkpoint location per test: each test's database starts a new chain."""
    return str(tmp_path_factory.mktemp("audit") / "audit-head.json")


@pytest.fixture
def lt_profile(db: None) -> None:
    from tiltas.accounts.testing import load_test_profile

    load_test_profile("lt")
