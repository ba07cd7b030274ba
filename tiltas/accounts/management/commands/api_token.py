"""`tiltas api_token create|list|revoke`: personal API tokens for machine clients.

    tiltas api_token create USERNAME NAME [--expires-days N]
    tiltas api_token list USERNAME
    tiltas api_token revoke TOKEN_PREFIX [--username USERNAME]

A token acts as its user: the same organisation, roles and access policy, every action audited
under the user's name on the "api" channel. Only a hash of the secret is stored; `create` prints
the secret once. Tokens expire (90 days unless --expires-days says otherwise) so that a
forgotten integration does not keep access for ever. See docs/howto/api.md.
"""

import getpass
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from tiltas.accounts.models import ApiToken, User
from tiltas.accounts.services import api_token_create, api_token_revoke
from tiltas.audit.models import Channel
from tiltas.audit.services import AuditEvent, audit_record, system_actor

DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 730
MAX_NAME_LENGTH = ApiToken._meta.get_field("name").max_length or 100
OBJECT_TYPE = "accounts.apitoken"


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""


def _token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return f"expired {token.expires_at:%Y-%m-%d %H:%M}"
    return "active"


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens (a token acts as its user)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = actions.add_parser(
            "create", help="Create a token for a user and print its secret once."
        )
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'case-system sync'")
        create.add_argument(
            "--expires-days",
            type=int,
            default=DEFAULT_EXPIRY_DAYS,
            metavar="N",
            help=f"Days until the token stops working (1 to {MAX_EXPIRY_DAYS}, default "
            f"{DEFAULT_EXPIRY_DAYS}).",
        )

        listing = actions.add_parser(
            "list", help="A user's tokens: prefix, name, created, expires, last used, state."
        )
        listing.add_argument("username")

        revoke = actions.add_parser("revoke", help="Stop a token at once.")
        revoke.add_argument("prefix", metavar="TOKEN_PREFIX", help="As shown by `list`")
        revoke.add_argument(
            "--username", help="Only that user's token (if two users' tokens share the prefix)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(options)
        else:
            self._revoke(options)

    def _user(self, username: str) -> User:
        user = User.objects.select_related("organisation").filter(username=username).first()
        if user is None:
            raise CommandError(f"username: no user named {username!r}")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        name: str = options["name"].strip()
        days: int = options["expires_days"]
        errors = []
        if not user.is_active:
            errors.append(f"username: {user.username} is deactivated; a token would not work")
        if not name:
            errors.append("name: give the token a name saying what it is for")
        elif len(name) > MAX_NAME_LENGTH:
            errors.append(f"name: at most {MAX_NAME_LENGTH} characters")
        if not 1 <= days <= MAX_EXPIRY_DAYS:
            errors.append(f"--expires-days: give a number of days from 1 to {MAX_EXPIRY_DAYS}")
        if errors:
            raise CommandError("\n".join(errors))
        expires_at = timezone.now() + timedelta(days=days)
        with transaction.atomic():
            token, secret = api_token_create(user=user, name=name, expires_at=expires_at)
            self._audit(user, token, "api_token_create", {"expires_at": expires_at.isoformat()})
        self.stdout.write(
            f"Created token {token.key_prefix} ({name}) for {user.username}, valid until "
            f"{timezone.localtime(expires_at):%Y-%m-%d %H:%M}.\n"
            "The secret is shown this once and cannot be recovered; store it in the client's "
            "secret store:\n"
        )
        self.stdout.write(secret)
        self.stdout.write("\nClients send it as the header `Authorization: Token <secret>`.")

    def _list(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
        if not tokens:
            self.stdout.write(f"{user.username} has no API tokens.")
            return
        self.stdout.write("prefix\tname\tcreated\texpires\tlast used\tstate")
        for token in tokens:
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.key_prefix}\t{token.name}\t{token.created_at:%Y-%m-%d}\t{expires}\t"
                f"{used}\t{_token_state(token)}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix: str = options["prefix"].strip()
        live = ApiToken.objects.select_related("user", "user__organisation").filter(
            key_prefix=prefix, revoked_at__isnull=True
        )
        if options.get("username"):
            live = live.filter(user__username=options["username"])
        matches = list(live)
        if not matches:
            raise CommandError(
                f"TOKEN_PREFIX: no live token starts with {prefix!r} "
                "(`tiltas api_token list USERNAME` shows the prefixes)"
            )
        if len(matches) > 1:
            owners = ", ".join(sorted(token.user.username for token in matches))
            raise CommandError(
                f"TOKEN_PREFIX: {len(matches)} live tokens start with {prefix!r} "
                f"(users: {owners}); add --username to say whose"
            )
        [token] = matches
        with transaction.atomic():
            api_token_revoke(token=token)
            self._audit(token.user, token, "api_token_revoke", {})
        self.stdout.write(
            f"Revoked token {token.key_prefix} ({token.name}) of {token.user.username}; "
            "it is refused from its next request."
        )

    def _audit(self, user: User, token: ApiToken, action: str, detail: dict[str, Any]) -> None:
        audit_record(
            actor=system_actor(
                organisation_code=user.organisation.code if user.organisation else "",
                channel=Channel.CLI,
            ),
            event=AuditEvent(
                action=action,
                object_type=OBJECT_TYPE,
                object_id=str(token.pk),
                detail={
                    "user_id": str(user.pk),
                    "operating_system_user": _operating_system_user(),
                    **detail,
                },
            ),
        )
