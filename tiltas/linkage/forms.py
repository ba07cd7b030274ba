"""Forms of the linkage pages: starting a run and deciding a pair."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tiltas.linkage.decisions import MAX_NOTE_LENGTH
from tiltas.linkage.models import Decision, RunKind


class RunStartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of run"),
        choices=RunKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a full or an incremental run.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the two records are the same person.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why you decided so, without names or dates: other reviewers of this pair, in other "
            "organisations too, read it."
        ),
    )
