"""The country profile: everything country-specific, loaded from a data file, never hard-coded."""

from django.db import models


class CountryProfile(models.Model):
    """The one country this installation serves (a single row)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    default_language = models.CharField(max_length=8)
    # Counts of fewer people than this are withheld from disclosure-controlled outputs
    # (tiltas.lib.disclosure); the profile's "disclosure": {"minimum_cell": N}.
    minimum_cell = models.PositiveSmallIntegerField(default=5)

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.code


class OrganisationType(models.Model):
    """A kind of institution; its flags drive the generic access policy."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    # Whether organisations of this type record persons of concern at all (a statistics office or
    # a ministry never does; it sees aggregates only).
    records_persons = models.BooleanField(default=False)
    # Whether its records may reveal identities to other organisations (NGOs often may not; their
    # records are then linked in privacy-preserving mode).
    shares_identities = models.BooleanField(default=True)
    # Whether it oversees the whole system (the national rapporteur): only there does the
    # rapporteur role open the audit trail of every organisation.
    oversight = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    class AreaClass(models.TextChoices):
        URBAN = "urban", "urban"
        RURAL = "rural", "rural"

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    area_class = models.CharField(max_length=8, choices=AreaClass.choices)

    class Meta:
        verbose_name_plural = "municipalities"

    def __str__(self) -> str:
        return self.name


class LegalArticle(models.Model):
    """An article of the criminal code under which trafficking offences are charged."""

    code = models.CharField(max_length=16, unique=True)
    title = models.CharField(max_length=300)
    title_local = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
