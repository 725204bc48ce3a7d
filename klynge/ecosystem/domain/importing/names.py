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


#: A blocking key shared by more existing names than this is too common to narrow anything
#: down ("dansk", "aarhus"): it is ignored, so the work per row stays bounded.
COMMON_KEY = 400


def _keys(stem: str) -> set[str]:
    """Blocking keys of a name: the first three letters of each of its words."""
    return {word[:3] for word in stem.split() if len(word) >= 2}


def similar_names(
    new_names: Iterable[tuple[Any, str]], existing: Iterable[tuple[Any, str]], *,
    threshold: int = 90,
) -> list[tuple[Any, Any, int]]:
    """(new key, existing key, score) for names that look alike, compared cheaply.

    Names are compared without legal forms, and only with the existing names that share the
    start of a word with them (not the start of a word shared by hundreds of names), so the
    cost grows with the file, not with the file times the registry; an exact match is found
    elsewhere.
    """
    stems: list[tuple[Any, str]] = []
    blocks: dict[str, list[int]] = {}
    for key, name in existing:
        stem = strip_legal_form(normalise_name(name))
        for block_key in _keys(stem):
            blocks.setdefault(block_key, []).append(len(stems))
        stems.append((key, stem))
    found = []
    for key, name in new_names:
        stem = strip_legal_form(normalise_name(name))
        if len(stem) < 3:
            continue
        candidates = sorted({
            index
            for block_key in _keys(stem)
            if len(blocks.get(block_key, ())) <= COMMON_KEY
            for index in blocks.get(block_key, ())
        })
        if not candidates:
            continue
        best = process.extractOne(
            stem, [stems[i][1] for i in candidates], scorer=fuzz.ratio,
            score_cutoff=threshold, processor=None,
        )
        if best:
            found.append((key, stems[candidates[best[2]]][0], int(best[1])))
    return found
