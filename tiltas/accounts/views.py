"""Login with a second factor, logout, password change, and the throttling answer."""

from base64 import b32encode
from collections.abc import Callable
from functools import wraps

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from tiltas.accounts.forms import LOGIN_ERROR_ID, LoginForm, OtpTokenForm, PasswordChangeForm
from tiltas.accounts.middleware import mark_session_started
from tiltas.accounts.models import User
from tiltas.audit.models import Channel
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record

NEXT_URL_KEY = "tiltas_next_url"
ENROLMENT_DEVICE_KEY = "tiltas_enrolment_device"
SECOND_FACTOR_FAILURES_KEY = "tiltas_second_factor_failures"
# Wrong codes allowed in one session before it is ended. The device itself also slows down
# guessing across sessions: django-otp doubles the wait after each wrong code until a right one.
SECOND_FACTOR_ATTEMPTS = 5
AUTHENTICATOR_DEVICE_NAME = "authenticator app"

View = Callable[..., HttpResponse]


class _QrCodeImage(SvgPathImage):  # type: ignore[misc]  # qrcode ships no type hints
    # A light background keeps the code scannable whatever colours the page uses.
    background = "#ffffff"


def _signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _second_factor_passed(request: HttpRequest) -> bool:
    user = _signed_in_user(request)
    if user is None:
        return False
    if user.is_demo:
        return True
    is_verified = getattr(user, "is_verified", None)  # installed by django-otp's middleware
    return callable(is_verified) and bool(is_verified())


def second_factor_required(view: View) -> View:
    """For pages under /accounts/, which the second-factor middleware leaves open."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if _signed_in_user(request) is None:
            return redirect_to_login(request.get_full_path())
        if not _second_factor_passed(request):
            return redirect("accounts:second_factor")
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _after_login_url(request: HttpRequest) -> str:
    stored = request.session.pop(NEXT_URL_KEY, "")
    return _safe_next_url(request, stored) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _audit(user: User, action: str, *, outcome: str = "ok", **detail: object) -> None:
    audit_record(
        actor=actor_for_user(user, channel=Channel.WEB),
        event=AuditEvent(
            action=action,
            object_type="accounts.user",
            object_id=str(user.pk),
            outcome=outcome,
            detail=dict(detail),
        ),
    )


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password. Demo accounts are done; everyone else goes on to the
    second factor (AN-01)."""
    next_url = _safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    if _second_factor_passed(request):
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        user = form.user
        login(request, user)  # a new session id (SE-01)
        mark_session_started(request)
        if user.is_demo:
            with transaction.atomic():
                _audit(user, "login", factor="none (demo account)")
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        request.session[NEXT_URL_KEY] = next_url
        return redirect("accounts:second_factor")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "login_error_id": LOGIN_ERROR_ID},
    )


def _confirmed_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    )
    return device


def _enrolment_device(request: HttpRequest, user: User) -> tuple[TOTPDevice, bool]:
    """The unconfirmed device of this session, and whether it was made just now. A secret shown
    in another session (perhaps to someone who had only the password) is never reused."""
    device_id = request.session.get(ENROLMENT_DEVICE_KEY)
    device: TOTPDevice | None = None
    if device_id is not None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()
    if device is not None:
        return device, False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR_DEVICE_NAME, confirmed=False
        )
    request.session[ENROLMENT_DEVICE_KEY] = device.pk
    return device, True


def _qr_code_svg(text: str) -> SafeString:
    image = qrcode.make(text, image_factory=_QrCodeImage, border=4)
    svg: str = image.to_string(encoding="unicode")
    # Built by the qrcode library from our own otpauth URI: path data only, no markup from users.
    return mark_safe(svg)  # noqa: S308


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _token_check(*, device_pk: int, token: str) -> tuple[TOTPDevice | None, bool]:
    """(the device if the code is right, whether the device is pausing after wrong codes).
    The row lock makes two requests with the same code unable to both pass (AN-03)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device_pk).first()
        if device is None:  # removed meanwhile by an administrator or another enrolment
            return None, False
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            return None, True
        if device.verify_token(token):
            return device, False
    return None, False


@transaction.atomic
def _device_confirm(device: TOTPDevice) -> bool:
    """Confirm a freshly enrolled device, unless another session confirmed one meanwhile."""
    if TOTPDevice.objects.filter(user_id=device.user_id, confirmed=True).exists():
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).exclude(
        pk=device.pk
    ).delete()
    return True


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """Step two: the code of the authenticator app, or its enrolment when the user has none."""
    user = _signed_in_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if _second_factor_passed(request):
        return HttpResponseRedirect(_after_login_url(request))

    device = _confirmed_device(user)
    enrolling, restarted = device is None, False
    if device is None:
        device, restarted = _enrolment_device(request, user)
    form = OtpTokenForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and restarted:
        # The code was read from a secret this session no longer holds: show the new one.
        form = OtpTokenForm()
        messages.warning(
            request,
            _(
                "The set-up of your authenticator was started again: scan the new QR code below, "
                "then enter the code it shows."
            ),
        )
    elif request.method == "POST" and form.is_valid():
        verified, paused = _token_check(device_pk=device.pk, token=form.cleaned_data["otp_token"])
        if verified is not None and (not enrolling or _device_confirm(verified)):
            otp_login(request, verified)
            request.session.cycle_key()  # step-up gets a new session id too (SE-01)
            request.session.pop(SECOND_FACTOR_FAILURES_KEY, None)
            request.session.pop(ENROLMENT_DEVICE_KEY, None)
            with transaction.atomic():
                if enrolling:
                    _audit(user, "second_factor_enrol", device="totp")
                _audit(user, "login", factor="totp")
            return HttpResponseRedirect(_after_login_url(request))

        failures = int(request.session.get(SECOND_FACTOR_FAILURES_KEY, 0)) + 1
        with transaction.atomic():
            _audit(user, "second_factor_check", outcome="denied", failures=failures)
        if failures >= SECOND_FACTOR_ATTEMPTS:
            logout(request)
            messages.error(
                request,
                _(
                    "Too many wrong authentication codes: you have been signed out. "
                    "Sign in again and enter the code your authenticator app shows now."
                ),
            )
            return redirect("accounts:login")
        request.session[SECOND_FACTOR_FAILURES_KEY] = failures
        if paused:
            form.add_error(
                "otp_token",
                _(
                    "Authentication code: after too many wrong codes in a row, checking is "
                    "paused for a while. Wait, then enter the code your app shows at that "
                    "moment; if this goes on, ask your organisation's Tiltas administrator."
                ),
            )
        else:
            form.add_error(
                "otp_token",
                _(
                    "Authentication code: this code is not valid now or was already used. "
                    "Enter the code your authenticator app shows now."
                ),
            )

    context: dict[str, object] = {"form": form, "enrolling": enrolling, "user": user}
    if enrolling:
        context["qr_code_svg"] = _qr_code_svg(device.config_url)
        context["secret"] = _grouped_secret(device)
    return render(request, "accounts/second_factor.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Ends the server-side session; the old cookie opens nothing afterwards (SE-03). POST only,
    so no link or image can sign anyone out (SE-04)."""
    user = _signed_in_user(request)
    if user is not None:
        with transaction.atomic():
            _audit(user, "logout")
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@sensitive_post_parameters("current_password", "new_password", "new_password_again")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@second_factor_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """A new password, checked against the password policy (AN-06). Every other session of the
    user ends, because Django ties sessions to the password hash."""
    user = _signed_in_user(request)
    assert user is not None  # noqa: S101 - guaranteed by second_factor_required
    form = PasswordChangeForm(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user.set_password(form.cleaned_data["new_password"])
            user.save(update_fields=["password"])
            _audit(user, "password_change")
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form})


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: object = None,
    *args: object,
    **kwargs: object,
) -> HttpResponse:
    """Too many failed logins for this username from this address (AN-04). The same page for
    existing and unknown usernames."""
    cool_off_minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"cool_off_minutes": cool_off_minutes},
        status=429,
    )
