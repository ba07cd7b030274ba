"""The form that starts an estimation run. It parses; the rules live in services and lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiltas.estimation.lists import ListDefinition
from tiltas.estimation.methods import DEFAULT_SEED, DEFAULT_THRESHOLD, Method
from tiltas.estimation.models import Stratification
from tiltas.people.forms import DATE_INPUT_FORMATS, IsoDateInput

# The web form keeps bootstraps to what a page visit should start; the command line may do more.
MAX_WEB_BOOTSTRAP = 2000

METHOD_CHOICES = [
    (Method.STEPWISE.value, _("Stepwise selection of interactions (recommended)")),
    (Method.BIC.value, _("Model selection by BIC")),
    (Method.INDEPENDENCE.value, _("Independent lists (main effects only)")),
    (Method.CHAPMAN.value, _("Two lists: Chapman estimator")),
]


class EstimationForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    period_start = forms.DateField(
        label=_("Period from"), input_formats=DATE_INPUT_FORMATS, widget=IsoDateInput()
    )
    period_end = forms.DateField(
        label=_("Period to"), input_formats=DATE_INPUT_FORMATS, widget=IsoDateInput()
    )
    lists = forms.MultipleChoiceField(
        label=_("Lists"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each list is a group of organisations; at least two are needed."),
    )
    stratify_by = forms.ChoiceField(
        label=_("Breakdown"), choices=Stratification.choices, required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES, initial="stepwise")
    threshold = forms.FloatField(
        label=_("Threshold of the stepwise selection"),
        min_value=0.0,
        max_value=1.0,
        initial=DEFAULT_THRESHOLD,
    )
    bootstrap = forms.IntegerField(
        label=_("Bootstrap resamples"),
        min_value=0,
        max_value=MAX_WEB_BOOTSTRAP,
        initial=0,
        help_text=_("0 gives the quick (Wald) interval; 1000 gives the more honest BCa interval."),
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, initial=DEFAULT_SEED)

    def __init__(self, *args: Any, lists: Sequence[ListDefinition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.available = {item.code: item for item in lists}
        field = self.fields["lists"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(item.code, item.name) for item in lists]
        field.initial = [item.code for item in lists]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period ends before it starts."))
        chosen = cleaned.get("lists") or []
        if len(chosen) < 2:
            self.add_error("lists", _("Choose at least two lists."))
        if cleaned.get("method") == Method.CHAPMAN.value and len(chosen) != 2:
            self.add_error("method", _("The Chapman estimator needs exactly two lists."))
        return cleaned

    def chosen_lists(self) -> tuple[ListDefinition, ...]:
        return tuple(self.available[code] for code in self.cleaned_data["lists"])
