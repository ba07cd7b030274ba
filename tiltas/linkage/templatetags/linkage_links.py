"""`{% person_links person %}`: on a person's page, the other records linked to it, as far as
the viewer may know of them (see linkage.selectors.person_links)."""

from __future__ import annotations

from typing import Any

from django import template

from tiltas.linkage.selectors import person_links as person_links_read
from tiltas.people.models import Person

register = template.Library()


@register.inclusion_tag("linkage/_person_links.html", takes_context=True)
def person_links(context: template.Context, person: Person) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    links = person_links_read(user=user, person=person) if user is not None else None
    return {"links": links}
