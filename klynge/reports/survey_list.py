"""The participant list for the grant givers' survey: the unique companies and knowledge
institutions that took part in the cluster's activities in a period, each with one contact
person the grant giver may write to.

- Taking part = an attended participation in an activity held in the period (the KPIs'
  `attended_registrations`: no-shows, cancellations and the waitlist do not count).
- A Danish company is listed once per CVR number (the KPIs' counting key); a foreign company
  and a knowledge institution once per organisation record.
- The contact is chosen among the people who attended *for that organisation* and whose
  consent to sharing with grant givers (Purpose.GRANT_GIVER_SHARING) is in force: the one
  with the most attended participations in the period, then the most recent, then by name.
  An organisation without such a person is listed without a contact and says so; a person
  without that consent never appears.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klynge.ecosystem.choices import KNOWLEDGE_INSTITUTION_KINDS, OrganisationKind
from klynge.ecosystem.models import Organisation, Person
from klynge.kpis.domain.counting import OrganisationFacts, Period, counting_key
from klynge.kpis.selectors import attended_registrations
from klynge.privacy.choices import Purpose
from klynge.privacy.selectors import people_with_consent
from klynge.reports.effect import Table

COMPANY = OrganisationKind.COMPANY
KINDS = [COMPANY, *sorted(KNOWLEDGE_INSTITUTION_KINDS)]

LEGAL_BASIS = gettext_lazy(
    "Legal basis: organisations are listed under the grant agreement's obligation to take "
    "part in the grant givers' evaluation (GDPR art. 6(1)(c) and (e)); a contact person is "
    "given only with that person's consent to sharing with grant givers (art. 6(1)(a))."
)


@dataclass
class Contact:
    person_id: int
    name: str
    email: str
    participations: int


@dataclass
class SurveyRow:
    """One organisation (a CVR number for Danish companies) and its contact, if any."""

    key: str
    organisation_id: int
    name: str
    kind: str
    kind_label: str
    cvr: str
    country: str
    participations: int = 0
    attendees: int = 0
    contact: Contact | None = None

    @property
    def is_company(self) -> bool:
        return self.kind == COMPANY


@dataclass
class SurveyList:
    period: Period
    rows: list[SurveyRow] = field(default_factory=list)

    @property
    def companies(self) -> int:
        return sum(1 for row in self.rows if row.is_company)

    @property
    def knowledge_institutions(self) -> int:
        return len(self.rows) - self.companies

    @property
    def without_contact(self) -> int:
        return sum(1 for row in self.rows if row.contact is None)


def _consenting(person_ids) -> dict[int, tuple[str, str]]:
    people = people_with_consent(Person.objects.filter(pk__in=list(person_ids)),
                                 Purpose.GRANT_GIVER_SHARING)
    return {pk: (f"{first} {last}".strip(), email)
            for pk, first, last, email in people.values_list("pk", "first_name", "last_name",
                                                             "email")}


def survey_participants(period: Period) -> SurveyList:
    """The list for the period, in four queries whatever the size."""
    participations = attended_registrations(period).filter(
        organisation__kind__in=KINDS
    ).values_list("organisation_id", "person_id", "activity__starts_at")
    # per organisation and person: how many attended participations, and the latest one
    counts: dict[int, dict[int, list]] = defaultdict(dict)
    for org_id, person_id, starts_at in participations:
        seen = counts[org_id].setdefault(person_id, [0, starts_at])
        seen[0] += 1
        seen[1] = max(seen[1], starts_at)
    organisations = Organisation.objects.filter(pk__in=list(counts)).order_by("pk")
    consenting = _consenting({p for people in counts.values() for p in people})
    rows: dict[str, SurveyRow] = {}
    candidates: dict[str, dict[int, list]] = defaultdict(dict)
    for org in organisations:
        country = org.country or "DK"
        key = counting_key(OrganisationFacts(org.pk, org.kind, country, org.cvr))
        row = rows.setdefault(key, SurveyRow(
            key=key, organisation_id=org.pk, name=org.name, kind=org.kind,
            kind_label=str(org.get_kind_display()), cvr=org.cvr or "", country=country,
        ))
        for person_id, (number, latest) in counts[org.pk].items():
            row.participations += number
            mine = candidates[key].setdefault(person_id, [0, latest])
            mine[0] += number
            mine[1] = max(mine[1], latest)
    for key, row in rows.items():
        row.attendees = len(candidates[key])
        row.contact = _choose_contact(candidates[key], consenting)
    ordered = sorted(rows.values(), key=lambda r: (not r.is_company, r.name.lower(), r.key))
    return SurveyList(period=period, rows=ordered)


def _choose_contact(people: dict[int, list], consenting: dict[int, tuple[str, str]]):
    """The consenting attendee with the most participations, then the latest, then by name."""
    eligible = [(pk, number, latest) for pk, (number, latest) in people.items()
                if pk in consenting]
    if not eligible:
        return None
    eligible.sort(key=lambda item: (-item[1], -item[2].timestamp(),
                                    consenting[item[0]][0].lower(), item[0]))
    pk, number, _latest = eligible[0]
    name, email = consenting[pk]
    return Contact(person_id=pk, name=name, email=email, participations=number)


# --- the table the writers render ----------------------------------------------------------


def survey_table(survey: SurveyList) -> Table:
    headers = [_("Type"), _("CVR"), _("Organisation"), _("Country"), _("Contact person"),
               _("Contact e-mail"), _("Attended participations"), _("Note")]
    rows = []
    for row in survey.rows:
        contact = row.contact
        rows.append([
            row.kind_label, row.cvr, row.name, row.country,
            contact.name if contact else "", contact.email if contact else "",
            row.participations,
            "" if contact else _("No attendee has consented to sharing with grant givers"),
        ])
    return Table(_("Survey participants"), headers, rows)


def about_lines(survey: SurveyList, *, generated_by: str) -> list[tuple[str, str]]:
    return [
        (_("Report"), _("Participant list for the grant givers' survey")),
        (_("Period"), f"{survey.period.start:%Y-%m-%d} – {survey.period.end:%Y-%m-%d}"),
        (_("Legal basis"), str(LEGAL_BASIS)),
        (_("What counts"), _(
            "Companies (once per CVR number) and knowledge institutions with at least one "
            "attended participation in an activity held in the period. The contact person is "
            "the attendee for the organisation, with consent to sharing with grant givers, "
            "who took part most often.")),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Generated by"), generated_by),
    ]
