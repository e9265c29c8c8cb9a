"""How a person typed at intake is compared with the people already recorded.

Names are compared as spelled without case, accents or punctuation; as they sound (Metaphone, stored on
Person as `first_name_key` and `last_name_key` so that candidates are found by an indexed lookup before
anything is scored); as nicknames (the `nicknames` package's curated list: Bill and William, Jess and
Jessica); and by Jaro-Winkler similarity for typos. Birth dates match exactly or with day and month
swapped (3/4/1991 and 4/3/1991). Nothing here reads the database: the selectors find the candidates.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

import jellyfish
from nicknames import NickNamer

KEY_LENGTH = 40

# Points for each kind of agreement; a candidate is shown from SHOWN_FROM, and called likely from LIKELY_FROM.
SAME_BIRTH_DATE, SWAPPED_BIRTH_DATE = 40, 30
SAME_NAME, NICKNAME, SIMILAR_NAME = 30, 25, 20
SAME_IDENTIFIER = 50
SHOWN_FROM, LIKELY_FROM = 50, 80
# Jaro-Winkler similarity from which two spellings count as one name typed differently: high enough that twins
# named Maria and Marta stay two names (their sounds differ too).
SIMILAR_FROM = 0.92


def normalized(name: str) -> str:
    """The letters of a name in lower case, accents dropped: "O'Brien" → "obrien", "José" → "jose"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isalpha() and not unicodedata.combining(char))


def name_key(name: str) -> str:
    """How a name sounds (Metaphone), the key stored on Person; empty when the name has no letters it can key."""
    return jellyfish.metaphone(normalized(name))[:KEY_LENGTH].strip()


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=4096)
def first_name_variants(first_name: str) -> frozenset[str]:
    """The name, its nicknames, the names it is a nickname of and their nicknames: "bill" → william, will, …"""
    name = normalized(first_name)
    if not name:
        return frozenset()
    namer = _nicknamer()
    canonicals = namer.canonicals_of(name)
    variants = {name} | namer.nicknames_of(name) | canonicals
    for canonical in canonicals:
        variants |= namer.nicknames_of(canonical)
    return frozenset(filter(None, (normalized(variant) for variant in variants)))


def first_name_keys(first_name: str) -> frozenset[str]:
    """The keys a person's stored first name may have to be this one: its own, or a nickname's or full name's."""
    return frozenset(filter(None, (name_key(variant) for variant in first_name_variants(first_name))))


def are_nicknames(one: str, other: str) -> bool:
    """Whether one name is a nickname of the other, or both are nicknames of one name (Bill, Will)."""
    a, b = normalized(one), normalized(other)
    if not a or not b or a == b:
        return False
    namer = _nicknamer()
    return (
        b in namer.nicknames_of(a)
        or a in namer.nicknames_of(b)
        or bool((namer.canonicals_of(a) | {a}) & (namer.canonicals_of(b) | {b}))
    )


def swapped_day_and_month(day: date) -> date | None:
    """The date read the other way round (3 April ↔ 4 March), or None when that is no other date."""
    if day.day == day.month or day.day > 12:
        return None
    return date(day.year, day.day, day.month)


def birth_dates_to_try(day: date | None) -> list[date]:
    if day is None:
        return []
    swapped = swapped_day_and_month(day)
    return [day] if swapped is None else [day, swapped]


def _spelling_agrees(typed: str, stored: str) -> bool:
    a, b = normalized(typed), normalized(stored)
    if not a or not b:
        return False
    return jellyfish.jaro_winkler_similarity(a, b) >= SIMILAR_FROM or name_key(a) == name_key(b)


@dataclass(frozen=True)
class Likeness:
    """How much a recorded person looks like the one typed, and why, in words a caseworker reads at a glance."""

    score: int
    reasons: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return self.score >= SHOWN_FROM

    @property
    def label(self) -> str:
        return "Likely the same person" if self.score >= LIKELY_FROM else "Possibly the same person"

    @property
    def why(self) -> str:
        text = ", ".join(self.reasons)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Typed:
    """What the user typed to look for a person before adding them."""

    first_name: str
    last_name: str
    birth_date: date | None = None
    identifier: str = ""


def likeness(
    typed: Typed, first_name: str, last_name: str, birth_date: date | None, *, same_identifier: bool
) -> Likeness:
    """Score a recorded person (their names and birth date) against what was typed: 0 to 100, with reasons."""
    score = 0
    reasons = []
    if same_identifier:
        score += SAME_IDENTIFIER
        reasons.append("same identifier")
    if typed.birth_date and birth_date:
        if birth_date == typed.birth_date:
            score += SAME_BIRTH_DATE
            reasons.append("same birth date")
        elif birth_date == swapped_day_and_month(typed.birth_date):
            score += SWAPPED_BIRTH_DATE
            reasons.append("birth date with day and month swapped")
        else:
            reasons.append("different birth date")
    if normalized(first_name) == normalized(typed.first_name):
        score += SAME_NAME
        reasons.append("same first name")
    elif are_nicknames(typed.first_name, first_name):
        score += NICKNAME
        reasons.append(f"{typed.first_name.strip()} and {first_name} are one name (nickname)")
    elif _spelling_agrees(typed.first_name, first_name):
        score += SIMILAR_NAME
        reasons.append("similar first name")
    else:
        reasons.append("different first name")
    if normalized(last_name) == normalized(typed.last_name):
        score += SAME_NAME
        reasons.append("same last name")
    elif _spelling_agrees(typed.last_name, last_name):
        score += SIMILAR_NAME
        reasons.append("similar last name")
    else:
        reasons.append("different last name")
    return Likeness(min(score, 100), tuple(reasons))
