"""Organisation and person names: normalised for matching, compared for likeness."""

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz, process

#: The Danish GTS institutes (approved technological service institutes), normalised names.
GTS_INSTITUTES = frozenset({
    "alexandra instituttet", "bioneer", "dbi", "dansk brand og sikringsteknisk institut",
    "dansk fundamental metrologi", "dfm", "dhi", "force technology", "teknologisk institut",
    "danish technological institute",
})


_NAME_WORDS = re.compile(r"[\wæøå&]+")


def normalise_name(name: str) -> str:
    """A name for exact matching: case, accents of æøå kept, spacing and punctuation ignored."""
    return " ".join(_NAME_WORDS.findall(unicodedata.normalize("NFC", name or "").casefold()))


_LEGAL_FORMS = ("a s", "aps", "as", "i s", "ivs", "p s", "k s", "amba", "fmba", "smba",
                "ps", "ab", "gmbh", "ltd", "oy", "bv", "nv", "sa", "srl", "holding", "fonden")


def strip_legal_form(normalised: str) -> str:
    """A normalised name without a trailing legal form (ApS, A/S, I/S...)."""
    for form in _LEGAL_FORMS:
        if normalised.endswith(" " + form):
            return normalised[: -len(form) - 1]
    return normalised


def is_gts_institute(name: str) -> bool:
    return strip_legal_form(normalise_name(name)) in GTS_INSTITUTES


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Anne Marie", "Hansen") from "Anne Marie Hansen" or from "Hansen, Anne Marie"."""
    if "," in full_name:
        last, _, first = full_name.partition(",")
        return first.strip(), last.strip()
    first, _, last = full_name.rpartition(" ")
    return (first, last) if first else (last, "")


def similar_names(
    new_names: Iterable[tuple[Any, str]], existing: Iterable[tuple[Any, str]], *,
    threshold: int = 90,
) -> list[tuple[Any, Any, int]]:
    """(new key, existing key, score) for names that look alike, compared cheaply.

    Names are compared without legal forms, and only with names that start with the same two
    letters, so thousands of names cost little; an exact match is found elsewhere.
    """
    blocks: dict[str, list[tuple[Any, str]]] = {}
    for key, name in existing:
        stem = strip_legal_form(normalise_name(name))
        blocks.setdefault(stem[:2], []).append((key, stem))
    found = []
    for key, name in new_names:
        stem = strip_legal_form(normalise_name(name))
        block = blocks.get(stem[:2])
        if len(stem) < 3 or not block:
            continue
        best = process.extractOne(
            stem, [candidate for _key, candidate in block], scorer=fuzz.ratio,
            score_cutoff=threshold, processor=None,
        )
        if best:
            found.append((key, block[best[2]][0], int(best[1])))
    return found
