"""Password rules beyond Django's built-in validators (AN-06)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tiltas.accounts.models import User
from tiltas.lib.names import to_ascii

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


# Words an attacker tries first against this system: its name, its subject, and "password" in the
# languages of the reference profile. Compared after folding case, diacritics and Cyrillic.
CONTEXT_WORDS = ("tiltas", "trafficking", "prekyba", "password", "slaptazodis", "parol")


class ContextWordsValidator:
    """Refuse passwords built on the system's own vocabulary or the user's organisation code
    (AN-06: the documented context-word list)."""

    def _words_for(self, user: User | None) -> list[str]:
        words = list(CONTEXT_WORDS)
        organisation = getattr(user, "organisation", None) if user is not None else None
        if organisation is not None:
            code_parts = [part for part in to_ascii(organisation.code).split("-") if len(part) >= 3]
            words.extend(code_parts)
        return words

    def validate(self, password: str, user: User | None = None) -> None:
        folded = "".join(char for char in to_ascii(password) if char.isalnum())
        for word in self._words_for(user):
            if word in folded:
                raise ValidationError(
                    _("This password contains a word that attackers try first (%(word)s).")
                    % {"word": word},
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return _("It may not contain the name of the system, its subject or your organisation.")
