"""The public member directory of the demo: most current members are listed, each with the
fields it chose to publish (always its description, website and city; the rest varies), so
/members/ looks as it would a year after the portal opened."""

from django.utils import timezone

from klynge.demo.builder.context import DemoContext
from klynge.ecosystem.choices import DirectoryField
from klynge.ecosystem.models import Membership, Organisation

LISTED_SHARE = 0.7
ALWAYS = [DirectoryField.DESCRIPTION, DirectoryField.WEBSITE, DirectoryField.CITY]
SOMETIMES = [DirectoryField.FOCUS_AREAS, DirectoryField.COMPETENCES, DirectoryField.OFFERS,
             DirectoryField.SEEKS, DirectoryField.SIZE, DirectoryField.INDUSTRY]


def build_directory(ctx: DemoContext) -> dict[str, int]:
    """List a share of the organisations with a current membership on the anchor day."""
    rng = ctx.rng("directory")
    current = (Membership.objects.current(ctx.anchor).values_list("organisation_id", flat=True)
               .order_by("organisation_id").distinct())
    rows = []
    for organisation in Organisation.objects.filter(pk__in=list(current)).order_by("pk"):
        if rng.random() >= LISTED_SHARE:
            continue
        organisation.directory_listed = True
        organisation.directory_fields = [str(f) for f in ALWAYS] + [
            str(f) for f in SOMETIMES if rng.random() < 0.6]
        organisation.updated_at = timezone.now()
        rows.append(organisation)
    Organisation.objects.bulk_update(rows, ["directory_listed", "directory_fields",
                                            "updated_at"], batch_size=500)
    return {"directory_listed": len(rows)}
