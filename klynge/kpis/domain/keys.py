"""The stable keys of Table 1's indicators, in the table's order, and how each is measured."""

INNOVATIVE_MEMBERS = "innovative_members"
CLUSTER_COLLABORATIONS = "cluster_collaborations"
INTERNATIONAL_VISIBILITY = "international_visibility"
EU_APPLICATIONS = "eu_applications"
COMMERCIAL_USE = "commercial_use"
GREEN_CONTACTS = "green_contacts"
PAYING_MEMBERS = "paying_members"

ORDER = (
    INNOVATIVE_MEMBERS, CLUSTER_COLLABORATIONS, INTERNATIONAL_VISIBILITY, EU_APPLICATIONS,
    COMMERCIAL_USE, GREEN_CONTACTS, PAYING_MEMBERS,
)

#: A share (per cent of the members) rather than a count.
SHARES = frozenset({INNOVATIVE_MEMBERS})
#: Measured on the last day of the period (a state), not summed over it (a flow). A flow's
#: target for a year is cumulative from the start of the programme period.
STATES = frozenset({INNOVATIVE_MEMBERS, PAYING_MEMBERS})


def number(key: str) -> int:
    """The indicator's number in Table 1 (1-7)."""
    return ORDER.index(key) + 1
