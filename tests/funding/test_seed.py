"""The data migration's defaults: the seed's grant givers and grants."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.funding.choices import DEFAULT_ELIGIBLE_TYPES, GrantKind
from klynge.funding.models import Grant, GrantGiver

pytestmark = pytest.mark.django_db


def test_the_seed_grant_givers():
    assert list(GrantGiver.objects.values_list("short_name", "name")) == [
        ("DEB", "Danmarks Erhvervsfremmebestyrelse"),
        ("UFS", "Uddannelses- og Forskningsstyrelsen"),
    ]


def test_the_seed_grants_and_periods():
    grants = Grant.objects.filter(code__in=["UFS-2021", "DEB-2021", "UFS-2025",
                                            "DEB-INNO-2025", "DEB-BASIC-2025"])

    assert sorted((g.code, g.giver.short_name, g.kind, g.period_start, g.period_end)
                  for g in grants) == [
        ("DEB-2021", "DEB", "business", date(2021, 1, 1), date(2024, 12, 31)),
        ("DEB-BASIC-2025", "DEB", "business", date(2025, 1, 1), date(2028, 12, 31)),
        ("DEB-INNO-2025", "DEB", "business", date(2025, 1, 1), date(2028, 12, 31)),
        ("UFS-2021", "UFS", "knowledge", date(2021, 1, 1), date(2024, 12, 31)),
        ("UFS-2025", "UFS", "knowledge", date(2025, 1, 1), date(2028, 12, 31)),
    ]


@pytest.mark.parametrize("code", ["UFS-2021", "UFS-2025"])
def test_ufs_defaults(code):
    grant = Grant.objects.get(code=code)

    assert grant.eligible_types == [str(t) for t in DEFAULT_ELIGIBLE_TYPES[GrantKind.KNOWLEDGE]]
    assert (grant.min_knowledge_institutions, grant.min_companies, grant.min_actors) == (1, 2, 3)
    assert grant.min_knowledge_spend_share == Decimal("0.5")
    assert grant.min_innovation_project_share == Decimal("0")


@pytest.mark.parametrize("code", ["DEB-2021", "DEB-INNO-2025", "DEB-BASIC-2025"])
def test_deb_defaults(code):
    grant = Grant.objects.get(code=code)

    assert grant.eligible_types == [str(t) for t in DEFAULT_ELIGIBLE_TYPES[GrantKind.BUSINESS]]
    assert (grant.min_knowledge_institutions, grant.min_companies, grant.min_actors) == (0, 1, 2)
    assert grant.min_innovation_project_share == Decimal("0.5")
    assert grant.min_knowledge_spend_share == Decimal("0")
