"""Forms of the sign-in flow: password, second factor, password change."""

import re
from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiltas.accounts.models import User

TOTP_DIGITS = 6
LOGIN_ERROR_ID = "login-error"
_SEPARATORS = re.compile(r"[\s-]+")


class LoginForm(forms.Form):
    """Username and password. One message for every failure, so the answer never tells whether
    an account exists (AN-05)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The username or the password is not correct. Both are case-sensitive."),
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            # Through authenticate() so that django-axes counts the failure (AN-04) and Django's
            # ModelBackend hashes the password even for an unknown username (AN-05).
            user = authenticate(self.request, username=username, password=password)
            if not isinstance(user, User):
                # Screen readers announce the form-level message on both inputs.
                for name in ("username", "password"):
                    self.fields[name].widget.attrs.update(
                        {"aria-describedby": LOGIN_ERROR_ID, "aria-invalid": "true"}
                    )
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
            self.user = user
        return cleaned


class OtpTokenForm(forms.Form):
    """The 6-digit code of the authenticator app; spaces and dashes people type are ignored."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        help_text=_("The 6-digit code your authenticator app shows now."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": _("Authentication code: enter the 6-digit code from your app."),
        },
    )

    def clean_otp_token(self) -> str:
        token = _SEPARATORS.sub("", self.cleaned_data["otp_token"])
        if not (token.isascii() and token.isdigit() and len(token) == TOTP_DIGITS):
            raise ValidationError(
                _("Authentication code: enter exactly %(digits)d digits."),
                code="format",
                params={"digits": TOTP_DIGITS},
            )
        return token


class PasswordChangeForm(forms.Form):
    """A new password for the signed-in user; the current one is asked again (SE-06)."""

    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 15 characters; spaces, letters of any alphabet and emoji are welcome. "
            "A long phrase is easiest to remember. Common passwords are refused."
        ),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        current: str = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise ValidationError(_("This is not your current password."), code="wrong")
        return current

    def clean_new_password(self) -> str:
        new: str = self.cleaned_data["new_password"]
        password_validation.validate_password(new, self.user)
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again and new != again:
            self.add_error(
                "new_password_again",
                ValidationError(_("The two new passwords differ."), code="mismatch"),
            )
        return cleaned
