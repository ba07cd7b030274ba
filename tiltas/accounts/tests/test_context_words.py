"""AN-06: the documented context words are refused, in any case, script or diacritics."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tiltas.accounts.models import Organisation, User

pytestmark = pytest.mark.usefixtures("lt_profile")


@pytest.mark.parametrize(
    "password",
    [
        "my Tiltas login 2026!",
        "stop TRAFFICKING now 77",
        "prekyba žmonėmis 123456",
        "Slaptažodis ilgas 99 99",
        "пароль длинный 12345",
        "LCPB office window 42",
    ],
)
def test_context_words_are_refused(password):
    user = User(username="officer", organisation=Organisation.objects.get(code="LT-LCPB"))
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert "password_context_word" in {error.code for error in refused.value.error_list}


def test_an_ordinary_passphrase_passes():
    user = User(username="officer", organisation=Organisation.objects.get(code="LT-LCPB"))
    validate_password("Bridge of 7 rivers, 2941", user)
    validate_password("correct horse battery staple 42", user)
