"""factory_boy factories for activities, registrations and grants."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from klynge.activities.choices import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    RegistrationStatus,
)
from klynge.activities.models import Activity, ActivityFunding, FocusNetwork, Registration
from klynge.funding.choices import DEFAULT_ELIGIBLE_TYPES, GrantKind
from klynge.funding.models import Grant, GrantGiver
from tests.factories import OrganisationFactory, PersonFactory


def _in_days(days: int, hour: int = 9):
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class FocusNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusNetwork

    name = factory.Sequence(lambda n: f"Focus network {n}")
    description = "A standing group."


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Activity {n}")
    description = "An activity of the cluster."
    type = ActivityType.KNOWLEDGE_DISSEMINATION
    format = ActivityFormat.SEMINAR
    place = "Aarhus"
    starts_at = factory.LazyFunction(lambda: _in_days(30, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    status = ActivityStatus.OPEN
    is_public = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = RegistrationStatus.REGISTERED


class GrantGiverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantGiver
        django_get_or_create = ("short_name",)

    short_name = "UFS"
    name = factory.LazyAttribute(lambda o: f"Grant giver {o.short_name}")


class GrantFactory(factory.django.DjangoModelFactory):
    """A knowledge-based (UFS rules) grant covering the next few years by default."""

    class Meta:
        model = Grant

    giver = factory.SubFactory(GrantGiverFactory)
    code = factory.Sequence(lambda n: f"UFS-{n}")
    name = factory.Sequence(lambda n: f"UFS grant {n}")
    kind = GrantKind.KNOWLEDGE
    period_start = factory.LazyFunction(lambda: date(date.today().year - 1, 1, 1))
    period_end = factory.LazyFunction(lambda: date(date.today().year + 2, 12, 31))
    eligible_types = factory.LazyAttribute(
        lambda o: [str(t) for t in DEFAULT_ELIGIBLE_TYPES[o.kind]]
    )
    min_actors = 3
    min_companies = 2
    min_knowledge_institutions = 1
    min_knowledge_spend_share = Decimal("0.5")


class ActivityFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityFunding

    activity = factory.SubFactory(ActivityFactory)
    grant = factory.SubFactory(GrantFactory)
    share = Decimal("100")
