"""Standardising a one-line address before comparison (no Django).

Agencies write an address as one line, in any order of street and house number ("8 Stanley
Street", "Gedimino pr. 12-5", "вул. Шевченка 5"), with typing errors that often add or drop a
space ("stanleykstreet", "s treet"), and with the street and a building or place name in
either order ("8 Reader Court, Villa 2" / "8 Villa 2 Reader Court"). The keys below therefore
ignore spaces and punctuation: the whole line as letters and digits (a flat or unit number
included), its letters alone (the street and place names, compared when the house number
differs or is missing), its words in alphabetical order, and the house number (the first run of
digits).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tiltas.lib.names import to_ascii

_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_NON_LETTERS = re.compile(r"[^a-z]+")
_DIGIT_RUNS = re.compile(r"[0-9]+")
_WORDS = re.compile(r"[a-z]+")
# Long enough to tell streets apart within a postcode, short enough to survive a typo or a
# split word later in the street name.
STREET_PREFIX_LENGTH = 4


@dataclass(frozen=True)
class AddressKeys:
    """The comparison keys of one address; None stands for unknown."""

    key: str | None
    street: str | None
    street_prefix: str | None
    words: str | None
    number: str | None


def _folded(text: str) -> str:
    return to_ascii(unicodedata.normalize("NFKC", text or ""))


def address_keys(text: str) -> AddressKeys:
    """The keys of a one-line address: '12 Pinkerton Circuit, apt 3' gives the key
    '12pinkertoncircuitapt3', the street 'pinkertoncircuitapt', the words
    'aptcircuitpinkerton' and the number '12'."""
    folded = _folded(text)
    key = _NON_ALPHANUMERIC.sub("", folded)
    street = _NON_LETTERS.sub("", folded)
    words = "".join(sorted(_WORDS.findall(folded)))
    # Leading zeros are a way of writing, not a different house ("007" is "7").
    number = _DIGIT_RUNS.search(folded)
    return AddressKeys(
        key=key or None,
        street=street or None,
        street_prefix=street[:STREET_PREFIX_LENGTH] or None,
        words=words or None,
        number=(number.group().lstrip("0") or "0") if number else None,
    )
