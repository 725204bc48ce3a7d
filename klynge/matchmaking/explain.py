"""The recommender's reasons in words, in the reader's language.

The pure domain gives each reason a code, its exact contribution to the score and its data;
this module words them with Django's translation, so a Danish reader reads Danish.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.matchmaking.choices import ProfileKind


@dataclass(frozen=True)
class Explained:
    code: str
    text: str
    contribution: float

    def as_json(self) -> dict:
        return {"code": self.code, "text": self.text, "contribution": self.contribution}


def _names(names, shown: int = 3) -> str:
    names = list(names)
    text = ", ".join(names[:shown])
    if len(names) > shown:
        text = _("%(names)s and %(count)s more") % {"names": text, "count": len(names) - shown}
    return text


def reason_text(reason, lead_name: str = "") -> str:
    """One reason as a sentence a person can read."""
    data = reason.data
    code = reason.code
    if code == "shared_terms":
        return _("Shared topics: %(terms)s") % {"terms": ", ".join(data)}
    if code == "past_partner":
        count = int(data[0]) if data else 0
        return ngettext("%(count)s earlier project with %(lead)s",
                        "%(count)s earlier projects with %(lead)s", count) % {
            "count": count, "lead": lead_name}
    if code == "joint_work":
        return _("Earlier work with %(lead)s on this subject") % {"lead": lead_name}
    if code == "common_collaborators":
        return ngettext("%(count)s collaborator in common: %(names)s",
                        "%(count)s collaborators in common: %(names)s", len(data)) % {
            "count": len(data), "names": _names(data)}
    if code == "complementary_kinds":
        lead_kind, kind = (ProfileKind(k).label for k in data)
        return _("Complementary kinds: %(lead)s ↔ %(other)s") % {"lead": lead_kind,
                                                                  "other": kind}
    if code == "region":
        return _("Same country as %(lead)s (%(country)s)") % {"lead": lead_name,
                                                            "country": data[0]}
    if code == "near":
        from klynge.ecosystem.choices import Region

        region = Region(data[0]).label if data[0] in Region.values else data[0]
        return _("Same region as %(lead)s (%(region)s)") % {"lead": lead_name,
                                                          "region": region}
    if code == "country":
        return _("Located in %(country)s") % {"country": data[0]}
    if code == "experience":
        count = int(data[0]) if data else 0
        return ngettext("%(count)s project on record", "%(count)s projects on record",
                        count) % {"count": count}
    return reason.text


def explain(reasons, lead_name: str = "") -> list[Explained]:
    return [Explained(r.code, reason_text(r, lead_name), r.contribution) for r in reasons]


def as_sentence(explained: list[Explained]) -> str:
    """The reasons as one paragraph (the introduction e-mail, the record)."""
    return "\n".join(f"– {e.text}" for e in explained)

