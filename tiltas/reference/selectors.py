"""Reads of the country profile."""

from django.db.models import QuerySet

from tiltas.reference.models import CountryProfile, OrganisationType


def country_profile_get() -> CountryProfile | None:
    return CountryProfile.objects.first()


def organisation_types_list() -> QuerySet[OrganisationType]:
    return OrganisationType.objects.order_by("code")
