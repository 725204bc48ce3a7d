"""Sizes, the set-up and the Danish texts of the demo's B2B meeting events."""

HELD_PARTICIPANTS = 40
#: Of the held event's participants, this many did not come (their meetings are no-shows).
ABSENT = 1
UPCOMING_PARTICIPANTS = 24
UPCOMING_DAYS = 24
REQUESTS_PER_PARTICIPANT = 3
DECLINED_SHARE = 0.12
UNANSWERED_SHARE = 0.03
ARRANGED = 3
TABLES = 12
MEETING_MINUTES, PAUSE_MINUTES = 20, 5
STEP = MEETING_MINUTES + PAUSE_MINUTES
UPCOMING_TABLES = 8
#: Seconds the scheduler may use for the held event. The heuristic places every meeting of
#: an event this size at once and spends the rest on fewer breaks; CP-SAT, given a second on
#: a busy machine, may stop at a poor first solution (measured: 57 of 99 meetings).
TIME_LIMIT = 1.0
COMPANY, RESEARCH = "Virksomhed", "Forsker/videninstitution"
# (name, meetings per participant at most, may meet their own kind)
TYPES = ((COMPANY, 8, True), (RESEARCH, 10, False))
# (name, minutes after the activity's start, slots); slot BREAK_SLOT of the first is a break.
SESSIONS = (("Første runde", 0, 6), ("Anden runde", 170, 5))
BREAK_SLOT = 3
UPCOMING_TOPIC = "grøn IT"
REQUEST_MESSAGES = (
    "Hej {first}. Vi leder efter en partner med jeres kompetencer – har du tid til en snak?",
    "Jeg vil gerne høre mere om jeres arbejde og se, om vi kan hjælpe hinanden.",
    "Vi har et konkret udviklingsprojekt, hvor jeres viden kunne passe rigtig godt ind.",
    "Kort møde om mulige samarbejder og en fælles ansøgning?",
    "",
)
ACCEPT_MESSAGES = ("Ja tak, jeg glæder mig.", "", "Gerne – vi ses ved bordet.", "")
DECLINE_MESSAGES = ("Tak for henvendelsen, men det passer ikke med vores fokus lige nu.", "")
ARRANGE_MESSAGE = "Klyngen tror, I har meget at tale om – derfor har vi sat jer sammen."
CANCEL_REASON = "Jeg er desværre blevet forhindret i første runde."
OUTCOME_NOTES = {
    "collaboration_started": "Mødet på B2B-dagen blev til en samarbejdsaftale mellem {a} og "
                             "{b}.",
    "commercial_use": "{a} bruger nu forskningsresultater fra {b} i et nyt produkt; kontakten "
                      "opstod på B2B-dagen.",
}
# (kind, days after the event at the earliest, at the latest)
OUTCOMES = (("collaboration_started", 14, 40), ("collaboration_started", 20, 50),
            ("commercial_use", 45, 80))
