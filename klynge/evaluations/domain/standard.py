"""The standard questions every survey asks, identified by a stable key the KPIs count by.

Satisfaction (0–10) is asked right after an activity only; the five outcome questions are
asked after the activity, in the 6- and 12-month follow-ups and in the annual member survey
(DOMAIN.md: effects rarely show on the day). Texts are kept in Danish and English as data.
"""

from dataclasses import dataclass

from klynge.evaluations.domain.answers import AGREE_5, SCALE_0_10, YES_NO


@dataclass(frozen=True)
class StandardQuestion:
    key: str
    kind: str
    text_en: str
    text_da: str
    kpi: int | None = None
    outcome: bool = True


SATISFACTION = StandardQuestion(
    "satisfaction", SCALE_0_10,
    "How satisfied are you with the activity overall (0 = not at all, 10 = very)?",
    "Hvor tilfreds er du samlet set med aktiviteten (0 = slet ikke, 10 = meget)?",
    outcome=False,
)
KNOWLEDGE_GAINED = StandardQuestion(
    "knowledge_gained", AGREE_5,
    "I gained knowledge that strengthens my organisation's innovation competences.",
    "Jeg har fået viden, der styrker min organisations innovationskompetencer.",
    kpi=1,
)
INNOVATION_STARTED = StandardQuestion(
    "innovation_started", YES_NO,
    "Has your organisation started innovation work as a result?",
    "Har din organisation sat innovationsarbejde i gang som følge heraf?",
    kpi=1,
)
NEW_CONTACTS = StandardQuestion(
    "new_contacts", YES_NO,
    "Did you make new contacts that are relevant for your work?",
    "Har du fået nye kontakter, der er relevante for dit arbejde?",
)
GREEN_CONTACTS = StandardQuestion(
    "green_contacts", YES_NO,
    "Did you make new contacts in other industries that led to new technology for the green "
    "transition?",
    "Har du fået nye kontakter i andre brancher, som har ført til ny teknologi til den grønne "
    "omstilling?",
    kpi=6,
)
INTERNATIONAL_VISIBILITY = StandardQuestion(
    "international_visibility", AGREE_5,
    "My organisation gained more international visibility or more enquiries from customers, "
    "suppliers or partners.",
    "Min organisation har fået mere international synlighed eller flere henvendelser fra "
    "kunder, leverandører eller partnere.",
    kpi=3,
)

STANDARD_QUESTIONS: tuple[StandardQuestion, ...] = (
    SATISFACTION, KNOWLEDGE_GAINED, INNOVATION_STARTED, NEW_CONTACTS, GREEN_CONTACTS,
    INTERNATIONAL_VISIBILITY,
)
STANDARD_KEYS = frozenset(q.key for q in STANDARD_QUESTIONS)


def standard_questions_for(survey_kind: str) -> tuple[StandardQuestion, ...]:
    """The standard questions of a survey kind: all after an activity, outcomes otherwise."""
    if survey_kind == "activity":
        return STANDARD_QUESTIONS
    return tuple(q for q in STANDARD_QUESTIONS if q.outcome)
