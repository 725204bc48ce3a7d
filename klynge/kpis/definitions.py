"""What each indicator means, in words shown beside every figure (DOMAIN.md, Table 1 and
"How each KPI is counted"). docs/kpis.md says the same for readers of the code."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klynge.kpis.domain import keys


@dataclass(frozen=True)
class Definition:
    key: str
    goal: Promise
    title: Promise
    indicator: Promise
    counting: Promise
    source: Promise
    unit: Promise

    @property
    def number(self) -> int:
        return keys.number(self.key)

    @property
    def is_share(self) -> bool:
        return self.key in keys.SHARES

    @property
    def is_state(self) -> bool:
        return self.key in keys.STATES


DEFINITIONS = {
    d.key: d
    for d in (
        Definition(
            key=keys.INNOVATIVE_MEMBERS,
            goal=_("More innovative companies"),
            title=_("Innovative members"),
            indicator=_("Members that started innovation work, or gained knowledge that "
                        "strengthens their innovation competences, through cluster activities."),
            counting=_("Of the organisations with a paying membership on the last day of the "
                       "period, the share with at least one person answering yes (or agree / "
                       "strongly agree) to “started innovation work” or “gained knowledge that "
                       "strengthens innovation competences” in any evaluation answered within "
                       "the period. A Danish company counts once per CVR number; an "
                       "organisation that answered twice counts once."),
            source=_("Evaluation questions “innovation_started” and “knowledge_gained”; "
                     "memberships."),
            unit=_("per cent of members"),
        ),
        Definition(
            key=keys.CLUSTER_COLLABORATIONS,
            goal=_("More growth"),
            title=_("Collaborations with other clusters"),
            indicator=_("Collaborations carried out with other clusters (digitalisation in "
                        "other industries)."),
            counting=_("The number of activities held in the period with at least one "
                       "co-organiser of kind cluster organisation (other than the cluster "
                       "itself), plus the projects starting in the period with such a partner "
                       "that were carried out (funded, running or completed). Each activity or "
                       "project counts once, however many clusters took part."),
            source=_("Activities (status held, co-organisers); projects (start date, "
                     "partners)."),
            unit=_("collaborations"),
        ),
        Definition(
            key=keys.INTERNATIONAL_VISIBILITY,
            goal=_("More international focus"),
            title=_("International visibility"),
            indicator=_("Members with more international visibility and more enquiries from "
                        "customers, suppliers and partners through the cluster's "
                        "international activities."),
            counting=_("The number of companies with a yes to “more international visibility "
                       "or more enquiries from customers, suppliers or partners” given about "
                       "an activity of type internationalisation, or in the annual member "
                       "survey, answered within the period. Counted once per CVR number (a "
                       "foreign company once per record)."),
            source=_("Evaluation question “international_visibility”."),
            unit=_("companies"),
        ),
        Definition(
            key=keys.EU_APPLICATIONS,
            goal=_("International funding"),
            title=_("Companies in EU applications"),
            indicator=_("Companies taking part in EU applications."),
            counting=_("The number of companies that are partners in at least one EU "
                       "application submitted in the period, whatever its later status "
                       "(submitted, funded or rejected). Counted once per CVR number, however "
                       "many applications."),
            source=_("Projects of kind EU application: submission date, status and partners "
                     "(including applications created from an introduction's outcome “EU "
                     "application submitted” or “funded”)."),
            unit=_("companies"),
        ),
        Definition(
            key=keys.COMMERCIAL_USE,
            goal=_("Commercial use of IT research"),
            title=_("Commercial use of research"),
            indicator=_("Collaboration projects or matchmakings that led to commercial use of "
                        "Danish research results, or new companies."),
            counting=_("The number of collaboration projects and introductions (matchmakings) "
                       "with a recorded outcome of “commercial use of research results” or "
                       "“new company” dated within the period. Each project or introduction "
                       "counts once, however many outcomes it has; an introduction's outcome "
                       "recorded on a project that counts already is not counted again."),
            source=_("Project outcomes and outcomes of introductions (kind and date)."),
            unit=_("projects and introductions"),
        ),
        Definition(
            key=keys.GREEN_CONTACTS,
            goal=_("Digital tech for the green transition"),
            title=_("Green contacts across industries"),
            indicator=_("Members that made new contacts in other industries leading to new "
                        "technology for the green transition."),
            counting=_("The number of organisations with a paying membership at some time in "
                       "the period and a yes to “made new contacts in other industries that "
                       "led to new technology for the green transition” in any evaluation "
                       "answered within the period. Counted once per CVR number."),
            source=_("Evaluation question “green_contacts”; memberships."),
            unit=_("members"),
        ),
        Definition(
            key=keys.PAYING_MEMBERS,
            goal=_("Developing the cluster"),
            title=_("Paying members"),
            indicator=_("Paying members."),
            counting=_("The number of organisations with a paying membership on the last day "
                       "of the period (partner and honorary memberships do not count)."),
            source=_("Memberships (status paying, start and end)."),
            unit=_("members"),
        ),
    )
}


def definitions() -> list[Definition]:
    """The definitions in Table 1's order."""
    return [DEFINITIONS[key] for key in keys.ORDER]
