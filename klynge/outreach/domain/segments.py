"""A segment's filters as a value: parsed from and written to the JSON stored on Segment.

Pure: no Django. Unknown keys and malformed values are dropped, so a segment saved by an
older version (or edited by hand) still loads.
"""

from dataclasses import asdict, dataclass, field

#: Membership conditions a segment can ask for.
MEMBERSHIP_ANY = ""
MEMBERSHIP_PAYING = "paying"  # a paying membership running today
MEMBERSHIP_MEMBER = "member"  # any current membership (paying, partner, honorary)
MEMBERSHIP_NONE = "non_member"  # no current membership
MEMBERSHIP_VALUES = (MEMBERSHIP_ANY, MEMBERSHIP_PAYING, MEMBERSHIP_MEMBER, MEMBERSHIP_NONE)


def _strings(value) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(sorted({str(v) for v in value if isinstance(v, str) and v}))


def _ids(value) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    out = set()
    for v in value:
        if isinstance(v, int) and not isinstance(v, bool):
            out.add(v)
        elif isinstance(v, str) and v.isdigit():
            out.add(int(v))
    return tuple(sorted(out))


def _id(value) -> int | None:
    ids = _ids([value])
    return ids[0] if ids else None


@dataclass(frozen=True)
class SegmentFilters:
    """Who a segment selects. Empty means "any"; the conditions all apply together, and
    within a list any value matches (kinds A or B, in region X or Y)."""

    organisation_kinds: tuple[str, ...] = field(default=())
    focus_areas: tuple[int, ...] = field(default=())
    regions: tuple[str, ...] = field(default=())
    hubs: tuple[int, ...] = field(default=())
    membership: str = MEMBERSHIP_ANY
    focus_network: int | None = None
    language: str = ""

    @classmethod
    def from_json(cls, data) -> "SegmentFilters":
        data = data if isinstance(data, dict) else {}
        membership = data.get("membership") or MEMBERSHIP_ANY
        language = data.get("language") or ""
        return cls(
            organisation_kinds=_strings(data.get("organisation_kinds")),
            focus_areas=_ids(data.get("focus_areas")),
            regions=_strings(data.get("regions")),
            hubs=_ids(data.get("hubs")),
            membership=membership if membership in MEMBERSHIP_VALUES else MEMBERSHIP_ANY,
            focus_network=_id(data.get("focus_network")),
            language=language if isinstance(language, str) else "",
        )

    def to_json(self) -> dict:
        data = asdict(self)
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in data.items()}

    @property
    def is_empty(self) -> bool:
        return self == SegmentFilters()
