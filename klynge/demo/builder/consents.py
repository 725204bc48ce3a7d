"""The demo's consent register: about 85 % of the people at member organisations consented to
member communication (imported from the old member system, on the basis of consent), and a
few of them withdrew it again through an unsubscribe link. The others have no row, so
activity invitations have people to skip (no consent, or withdrawn).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from klynge.demo.builder.context import DemoContext
from klynge.ecosystem.models import Affiliation, Membership
from klynge.privacy.choices import ConsentSource, LegalBasis, Purpose
from klynge.privacy.models import Consent

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
CONSENT_SHARE = 0.85
WITHDRAWAL_SHARE = 0.04
IMPORTED_ON = date(2021, 1, 4)


def build_consents(ctx: DemoContext) -> dict[str, int]:
    """Create the consents and withdrawals of member communication."""
    rng = ctx.rng("consents")
    members = Membership.objects.filter(status__in=("paying", "partner", "honorary")).values(
        "organisation_id")
    affiliations = (Affiliation.objects.filter(organisation_id__in=members, is_primary=True)
                    .order_by("person_id").values_list("person_id", "start_date"))
    rows, seen = [], set()
    for person_id, start in affiliations:
        if person_id in seen:
            continue
        seen.add(person_id)
        if rng.random() >= CONSENT_SHARE:
            continue
        first = max(IMPORTED_ON, start or IMPORTED_ON)
        day = first + timedelta(days=rng.randint(0, max(0, (ctx.anchor - first).days - 1)))
        given = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)),
                                 tzinfo=COPENHAGEN)
        rows.append(Consent(
            person_id=person_id, purpose=Purpose.MEMBER_COMMUNICATION, granted=True,
            given_at=given, source=ConsentSource.IMPORT, legal_basis=LegalBasis.CONSENT,
            note="Importeret fra medlemssystemet", recorded_at=given,
        ))
        if rng.random() < WITHDRAWAL_SHARE:
            room = (datetime.combine(ctx.anchor, time(0), tzinfo=COPENHAGEN) - given).days - 1
            if room > 0:
                withdrawn = given + timedelta(days=rng.randint(1, room))
                rows.append(Consent(
                    person_id=person_id, purpose=Purpose.MEMBER_COMMUNICATION, granted=False,
                    given_at=given, withdrawn_at=withdrawn,
                    source=ConsentSource.UNSUBSCRIBE_LINK, legal_basis=LegalBasis.CONSENT,
                    note="Afmeldt via link i invitation", recorded_at=withdrawn,
                ))
    Consent.objects.bulk_create(rows, batch_size=1000)
    return {"consents": sum(1 for row in rows if row.granted),
            "consent_withdrawals": sum(1 for row in rows if not row.granted)}
