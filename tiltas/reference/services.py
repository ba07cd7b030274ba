"""Loading a country profile (a JSON data file) into the reference tables."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from tiltas.lib.disclosure import DEFAULT_MINIMUM_CELL
from tiltas.reference.models import (
    CountryProfile,
    Language,
    LegalArticle,
    Municipality,
    OrganisationType,
)

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

REQUIRED_SECTIONS = ("code", "name", "currency", "default_language", "languages")
# Below 2 nothing would be withheld; above 100 hardly any national figure would be shown.
MINIMUM_CELL_RANGE = (2, 100)


class ProfileError(ValueError):
    """The profile file is unreadable or misses a required section."""


def profile_read(name_or_path: str) -> dict[str, Any]:
    """Read a bundled profile by name ('lt') or any profile file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILES_DIR / f"{name_or_path}.json"
    if not path.exists():
        raise ProfileError(f"profile {name_or_path!r}: no such file {path}")
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProfileError(f"profile {path}: not valid JSON ({exc})") from exc
    missing = [section for section in REQUIRED_SECTIONS if section not in data]
    if missing:
        raise ProfileError(f"profile {path}: missing {', '.join(missing)}")
    minimum_cell = data.get("disclosure", {}).get("minimum_cell", DEFAULT_MINIMUM_CELL)
    if (
        not isinstance(minimum_cell, int)
        or isinstance(minimum_cell, bool)
        or not MINIMUM_CELL_RANGE[0] <= minimum_cell <= MINIMUM_CELL_RANGE[1]
    ):
        raise ProfileError(
            f"profile {path}: disclosure.minimum_cell: expected a whole number from "
            f"{MINIMUM_CELL_RANGE[0]} to {MINIMUM_CELL_RANGE[1]}, got {minimum_cell!r}"
        )
    return data


@transaction.atomic
def reference_load(*, profile: dict[str, Any]) -> CountryProfile:
    """Create or update the reference tables from a profile; running it twice changes nothing."""
    CountryProfile.objects.exclude(code=profile["code"]).delete()
    country, _ = CountryProfile.objects.update_or_create(
        code=profile["code"],
        defaults={
            "name": profile["name"],
            "currency": profile["currency"],
            "default_language": profile["default_language"],
            "minimum_cell": profile.get("disclosure", {}).get("minimum_cell", DEFAULT_MINIMUM_CELL),
        },
    )
    for language in profile["languages"]:
        Language.objects.update_or_create(
            code=language["code"], defaults={"name": language["name"]}
        )
    for org_type in profile.get("organisation_types", []):
        OrganisationType.objects.update_or_create(
            code=org_type["code"],
            defaults={
                "name": org_type["name"],
                "name_local": org_type.get("name_local", ""),
                "records_persons": bool(org_type.get("records_persons", False)),
                "shares_identities": bool(org_type.get("shares_identities", True)),
                "oversight": bool(org_type.get("oversight", False)),
            },
        )
    for municipality in profile.get("municipalities", []):
        Municipality.objects.update_or_create(
            code=municipality["code"],
            defaults={"name": municipality["name"], "area_class": municipality["area_class"]},
        )
    for article in profile.get("legal_articles", []):
        LegalArticle.objects.update_or_create(
            code=article["code"],
            defaults={"title": article["title"], "title_local": article.get("title_local", "")},
        )
    return country
