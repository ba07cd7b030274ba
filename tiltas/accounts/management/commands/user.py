"""`tiltas user create|list|reset-second-factor`: manage user accounts from the command line.

    tiltas user create USERNAME --organisation CODE --role ROLE [--role ROLE ...]
    tiltas user list [--organisation CODE]
    tiltas user reset-second-factor USERNAME

`create` reads the password from the TILTAS_NEW_PASSWORD environment variable, or asks for it
twice when run in a terminal; it never takes it as an argument (arguments are visible to every
user of the machine). `reset-second-factor` removes a lost authenticator at once: the user signs in
with the password and enrols a new one.
"""

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiltas.accounts.models import Organisation, User
from tiltas.accounts.roles import Role
from tiltas.accounts.services import user_create
from tiltas.audit.models import Channel
from tiltas.audit.services import AuditEvent, audit_record, system_actor

PASSWORD_ENVIRONMENT_VARIABLE = "TILTAS_NEW_PASSWORD"  # noqa: S105 - a variable name, no secret


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""


class Command(BaseCommand):
    help = "Create, list and reset the second factor of user accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = actions.add_parser(
            "create",
            help=f"Create a user; the password comes from {PASSWORD_ENVIRONMENT_VARIABLE} or a "
            "prompt.",
        )
        create.add_argument("username")
        create.add_argument("--organisation", required=True, help="Organisation code, e.g. LT-LCPB")
        create.add_argument(
            "--role",
            dest="roles",
            action="append",
            required=True,
            help=f"Repeat for several roles: {', '.join(Role.values)}",
        )

        listing = actions.add_parser(
            "list", help="Username, organisation, roles and second factor, tab-separated."
        )
        listing.add_argument("--organisation", help="Only the users of this organisation")

        reset = actions.add_parser(
            "reset-second-factor",
            help="Remove a user's authenticator (lost phone); a new one is set up at next sign-in.",
        )
        reset.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(options)
        else:
            self._reset_second_factor(options)

    def _create(self, options: dict[str, Any]) -> None:
        username: str = options["username"]
        errors = []
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            errors.append(
                f"organisation: unknown organisation code {options['organisation']!r} "
                "(`tiltas organisations` lists them)"
            )
        unknown_roles = sorted(set(options["roles"]) - set(Role.values))
        if unknown_roles:
            errors.append(
                f"role: unknown role(s) {', '.join(unknown_roles)} "
                f"(known roles: {', '.join(Role.values)})"
            )
        if User.objects.filter(username=username).exists():
            errors.append(f"username: a user named {username!r} already exists")
        if errors:
            raise CommandError("\n".join(errors))
        assert organisation is not None  # noqa: S101 - checked above

        password = self._read_password()
        try:
            with transaction.atomic():
                user = user_create(
                    username=username,
                    organisation=organisation,
                    roles=options["roles"],
                    password=password,
                )
                audit_record(
                    actor=system_actor(organisation_code=organisation.code, channel=Channel.CLI),
                    event=AuditEvent(
                        action="user_create",
                        object_type="accounts.user",
                        object_id=str(user.pk),
                        detail={
                            "username": user.username,
                            "roles": sorted(user.role_codes()),
                            "operating_system_user": _operating_system_user(),
                        },
                    ),
                )
        except ValidationError as exc:
            raise CommandError(_validation_messages(exc)) from exc
        except ValueError as exc:  # the service names the field ("roles: ...")
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Created user {user.username} in {organisation.code} with roles "
            f"{', '.join(sorted(user.role_codes()))}. The second factor is set up at first "
            "sign-in."
        )

    def _read_password(self) -> str:
        from_environment = os.environ.get(PASSWORD_ENVIRONMENT_VARIABLE)
        if from_environment:
            return from_environment
        if not sys.stdin.isatty():
            raise CommandError(
                f"password: set {PASSWORD_ENVIRONMENT_VARIABLE} or run the command in a terminal "
                "to be asked for it"
            )
        password = getpass.getpass("Password (at least 15 characters): ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("password: the two entries differ")
        return password

    def _list(self, options: dict[str, Any]) -> None:
        users = User.objects.select_related("organisation").prefetch_related("roles")
        if options.get("organisation"):
            users = users.filter(organisation__code=options["organisation"])
        with_factor = set(
            TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
        )
        for user in users.order_by("username"):
            organisation_code = user.organisation.code if user.organisation else ""
            roles = ",".join(sorted(role.role for role in user.roles.all()))
            if user.is_demo:
                factor = "demo (none)"
            else:
                factor = "totp" if user.pk in with_factor else "not set up"
            self.stdout.write(f"{user.username}\t{organisation_code}\t{roles}\t{factor}")

    def _reset_second_factor(self, options: dict[str, Any]) -> None:
        user = User.objects.select_related("organisation").filter(username=options["username"])
        found = user.first()
        if found is None:
            raise CommandError(f"username: no user named {options['username']!r}")
        with transaction.atomic():
            removed, _ = TOTPDevice.objects.filter(user=found).delete()
            audit_record(
                actor=system_actor(
                    organisation_code=found.organisation.code if found.organisation else "",
                    channel=Channel.CLI,
                ),
                event=AuditEvent(
                    action="second_factor_reset",
                    object_type="accounts.user",
                    object_id=str(found.pk),
                    detail={
                        "devices_removed": removed,
                        "operating_system_user": _operating_system_user(),
                    },
                ),
            )
        self.stdout.write(
            f"Removed {removed} authenticator(s) of {found.username}; sessions verified with them "
            "lose access at their next request. The user sets up a new one at next sign-in."
        )


def _validation_messages(exc: ValidationError) -> str:
    """Each message prefixed by its field; password-policy errors carry no field of their own."""
    if hasattr(exc, "error_dict"):
        return "\n".join(
            f"{field}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        )
    return "\n".join(f"password: {message}" for message in exc.messages)
