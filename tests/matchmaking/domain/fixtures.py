"""Tiny hand-made profiles for the recommender's pure tests."""

from klynge.matchmaking.domain import Index, OrgProfile


def profiles() -> list[OrgProfile]:
    return [
        OrgProfile("lead", "Vision Robotics ApS", "company", True, "DK",
                   ("Robot cell for welding",), (), frozenset({"p1", "p2"})),
        OrgProfile("uni", "Aalborg University", "higher_education", False, "DK",
                   ("Computer vision for quality control in manufacturing",
                    "Deep learning for image recognition"), (), frozenset({"p1", "p3"})),
        OrgProfile("rto", "Fraunhofer IPK", "research", False, "DE",
                   ("Computer vision inspection of welds",), (), frozenset({"p3"})),
        OrgProfile("firm", "Acme Vision GmbH", "company", True, "DE",
                   ("Computer vision cameras for quality control",), (), frozenset({"p4"})),
        OrgProfile("bio", "Institut Pasteur", "research", False, "FR",
                   ("Protein folding and structural biology",), ("biochemistry",),
                   frozenset({"p2"})),
    ]


def index() -> Index:
    return Index(profiles())
