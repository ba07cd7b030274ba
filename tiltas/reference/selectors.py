"""Reads of the country profile."""

from django.db.models import QuerySet

from tiltas.lib.disclosure import DEFAULT_MINIMUM_CELL
from tiltas.reference.models import CountryProfile, OrganisationType


def country_profile_get() -> CountryProfile | None:
    return CountryProfile.objects.first()


def organisation_types_list() -> QuerySet[OrganisationType]:
    return OrganisationType.objects.order_by("code")


def minimum_cell() -> int:
    """The country's minimum cell: disclosure-controlled outputs withhold counts of fewer
    people (tiltas.lib.disclosure)."""
    profile = CountryProfile.objects.only("minimum_cell").first()
    return profile.minimum_cell if profile is not None else DEFAULT_MINIMUM_CELL
