"""Normalising names and identifiers into search keys (no Django).

A search key must be equal for the spellings that agencies really use for one person: with and
without Lithuanian diacritics, in Cyrillic and in its several Latin transliterations. The key is a
coarse "skeleton": transliterate, fold to ASCII, then merge the digraphs and soft-sign markers that
differ between systems (sh/s, zh/z, ch/c, ya/ia/a). It finds a few extra candidates, never fewer;
the caller only ever sees candidates the access policy lets it see.
"""

from __future__ import annotations

import re
import unicodedata

# One Cyrillic-to-Latin table covering Ukrainian and Russian letters. Which standard is used does
# not matter for the skeleton, since the folding below merges the standards' differences.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "io",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "ў": "u",
}  # fmt: skip

# Applied in order to the ASCII form; each line merges spellings that transliteration systems and
# Lithuanian orthography render differently.
SKELETON_FOLDS = (
    ("shch", "sc"),
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "z"),
    ("ch", "c"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("ph", "f"),
    ("j", "i"),
    ("y", "i"),
)
VOWELS = "aeiou"
_NON_LETTERS = re.compile(r"[^a-z]+")
_I_BEFORE_VOWEL = re.compile(r"(?<=[a-z])i(?=[aeou])")
_REPEATS = re.compile(r"(.)\1+")
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑’'`.,;/]+")


def to_ascii(text: str) -> str:
    """Lower-case ASCII: Cyrillic transliterated, diacritics removed (š -> s, ė -> e)."""
    if text.isascii():  # nothing to transliterate or remove (most keys are folded already)
        return text.lower()
    lowered = unicodedata.normalize("NFC", text).lower()
    transliterated = "".join(CYRILLIC_TO_LATIN.get(char, char) for char in lowered)
    decomposed = unicodedata.normalize("NFKD", transliterated)
    return (
        "".join(char for char in decomposed if not unicodedata.combining(char))
        .encode("ascii", "ignore")
        .decode("ascii")
    )


def name_skeleton(token: str) -> str:
    """The search key of one name token: 'Šiaulienė', 'Siauliene', 'Шяулене' give one key."""
    text = _NON_LETTERS.sub("", to_ascii(token))
    for before, after in SKELETON_FOLDS:
        text = text.replace(before, after)
    # A palatalising i (Lithuanian "šiau", Russian "я" = "ia") is spelt in some systems only.
    text = _REPEATS.sub(r"\1", text)
    text = _I_BEFORE_VOWEL.sub("", text)
    return _REPEATS.sub(r"\1", text)


def name_tokens(*names: str) -> list[str]:
    """The distinct skeletons of every whole word in the given names, in first-seen order."""
    seen: dict[str, None] = {}
    for name in names:
        for token in _TOKEN_SPLIT.split(name or ""):
            skeleton = name_skeleton(token)
            if len(skeleton) >= 2:
                seen.setdefault(skeleton, None)
    return list(seen)


# What a document number may hold as written: letters, digits, spaces, '-', '/' and '.'.
DOCUMENT_NUMBER_WRITTEN = re.compile(r"^[\w\- /.]{1,40}$")


def normalise_document_number(number: str) -> str:
    """Upper-case letters and digits only: 'lt 12-345 678' and 'LT12345678' are one document."""
    return re.sub(r"[^0-9A-Z]", "", to_ascii(number).upper())
