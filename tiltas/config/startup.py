"""Production refuses to start in an unsafe state: a missing or default secret key (refused
already by the settings), or any demo account (whose password is printed on every demo start)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tiltas.config.environment import secret_key_problem as _secret_problem


def demo_accounts_problem() -> str | None:
    from tiltas.accounts.models import User

    count = User.objects.filter(is_demo=True).count()
    if count:
        return (
            f"{count} demo account(s) exist (User.is_demo); delete them before running in "
            "production."
        )
    return None


def assert_production_ready() -> None:
    """Raise ImproperlyConfigured naming every problem; a no-op outside production mode."""
    if not settings.PRODUCTION:
        return
    problems = [p for p in (_secret_problem(settings.SECRET_KEY), demo_accounts_problem()) if p]
    if problems:
        raise ImproperlyConfigured("Tiltas refuses to start in production: " + " ".join(problems))


@register("tiltas", "database")
def check_no_demo_accounts(
    app_configs: Any, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if not settings.PRODUCTION or not databases:
        return []
    # Before the first migration there are no accounts at all (and no table to ask).
    from tiltas.accounts.models import User

    if User._meta.db_table not in connection.introspection.table_names():
        return []
    if problem := demo_accounts_problem():
        return [Error(problem, id="tiltas.E002")]
    return []
