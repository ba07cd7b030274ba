"""The audit browser of the national rapporteur: every read and change of personal data, by
user, record and period. Anyone else gets the same 404 as for a page that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tiltas.accounts.access import require_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.audit.models import AuditEntry
from tiltas.audit.selectors import (
    AuditFilter,
    audit_actions_visible_to,
    audit_entries_visible_to,
    audit_trail_open,
)

CHANNEL = "web"
PAGE_SIZE = 50
FILTER_FIELDS = ("user", "record", "date_from", "date_to", "action")

# The trail stores action codes; people read them in their language. A code missing here is
# shown as it is, never hidden.
ACTION_LABELS: dict[str, str | Promise] = {
    "read": _("Read"),
    "create": _("Creation"),
    "update": _("Change"),
    "delete": _("Deletion"),
    "import": _("Import"),
    "export": _("Export"),
    "login": _("Sign-in"),
    "logout": _("Sign-out"),
    "password_change": _("Password change"),
    "second_factor_check": _("Second-factor check"),
    "second_factor_enrol": _("Second-factor set-up"),
    "second_factor_reset": _("Second-factor reset"),
    "user_create": _("Account creation"),
    "api_token_create": _("API token creation"),
    "api_token_revoke": _("API token revocation"),
    "audit_view": _("Audit trail viewing"),
    "keys_retire": _("Key retirement"),
}
CHANNEL_LABELS: dict[str, str | Promise] = {
    "web": _("web"),
    "api": _("API"),
    "cli": _("command line"),
    "system": _("system"),
}


@dataclass(frozen=True)
class AuditRow:
    """One entry as the browser shows it."""

    entry: AuditEntry

    @property
    def action_label(self) -> str | Promise:
        return ACTION_LABELS.get(self.entry.action, self.entry.action)

    @property
    def channel_label(self) -> str | Promise:
        return CHANNEL_LABELS.get(self.entry.channel, self.entry.channel)


class IsoDateInput(forms.DateInput):
    """The browser's date picker, whose value is ISO 8601 in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    record = forms.CharField(
        label=_("Record id"),
        required=False,
        max_length=64,
        help_text=_("The identifier of the record, as shown in its address or in this list."),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=IsoDateInput(), input_formats=["%Y-%m-%d"]
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=IsoDateInput(), input_formats=["%Y-%m-%d"]
    )
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choice_field = self.fields["action"]
        assert isinstance(choice_field, forms.ChoiceField)  # noqa: S101 - declared above
        choice_field.choices = [
            ("", _("Any action")),
            *((action, ACTION_LABELS.get(action, action)) for action in actions),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def audit_filter(self) -> AuditFilter:
        cleaned = self.cleaned_data
        return AuditFilter(
            username=cleaned.get("user") or "",
            object_id=cleaned.get("record") or "",
            date_from=cleaned.get("date_from"),
            date_to=cleaned.get("date_to"),
            action=cleaned.get("action") or "",
        )


def _before(request: HttpRequest) -> int | None:
    try:
        value = int(request.GET.get("before", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _filter_query(request: HttpRequest) -> str:
    """The current criteria as a query string prefix for the paging links."""
    query = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        value = request.GET.get(name, "")
        if value:
            query[name] = value
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """The trail, newest first, filtered; pages are cut by sequence so that new entries (this
    very browsing among them) never shift the page being read."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees a real user
    require_permission(user, Permission.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None, actions=audit_actions_visible_to(user))
    filters = form.audit_filter() if form.is_valid() else AuditFilter()
    if form.is_bound and not form.is_valid():
        entries: list[AuditEntry] = []
    else:
        audit_trail_open(user=user, filters=filters, channel=CHANNEL)
        matching = audit_entries_visible_to(user, filters=filters)
        before = _before(request)
        if before is not None:
            matching = matching.filter(sequence__lt=before)
        entries = list(matching[: PAGE_SIZE + 1])
    has_older = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "entries": entries,
            "rows": [AuditRow(entry) for entry in entries],
            "has_older": has_older,
            "older_than": entries[-1].sequence if entries else None,
            "is_first_page": _before(request) is None,
            "query_prefix": _filter_query(request),
        },
    )
