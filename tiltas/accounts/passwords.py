"""Password rules beyond Django's built-in validators (AN-06)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tiltas.accounts.models import User

MAXIMUM_PASSWORD_LENGTH = 128


class MaximumLengthValidator:
    """At least 64 characters must be accepted (ASVS); beyond 128 only burns hashing time."""

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > MAXIMUM_PASSWORD_LENGTH:
            raise ValidationError(
                _("This password is too long: at most %(max)d characters.")
                % {"max": MAXIMUM_PASSWORD_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("At most %(max)d characters.") % {"max": MAXIMUM_PASSWORD_LENGTH}
