"""DB07 industry codes as reference data, and the taxonomy and tiers every install has."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import FocusArea, IndustryCode, MembershipTier
from klynge.ecosystem.reference import industry_codes_load

LEVELS = {0: 21, 1: 88, 2: 272, 3: 618, 4: 741}


def _per_level() -> dict[int, int]:
    return {level: IndustryCode.objects.filter(level=level).count() for level in range(5)}


@pytest.mark.realdata
@pytest.mark.django_db
def test_db07_file_loads_every_level(data_dir):
    result = industry_codes_load(path=data_dir / "db07" / "dksic.tsv")

    assert result.source == "file"
    assert result.by_level == LEVELS
    assert (result.created, result.updated, result.unchanged) == (1740, 0, 0)
    assert _per_level() == LEVELS


@pytest.mark.realdata
@pytest.mark.django_db
def test_db07_code_has_its_title_and_ancestors(data_dir):
    industry_codes_load(path=data_dir / "db07" / "dksic.tsv")

    code = IndustryCode.objects.get(pk="62.01.00")

    assert (code.level, code.title) == (4, "Computerprogrammering")
    chain = [code.parent, code.parent.parent, code.parent.parent.parent]
    assert [(c.code, c.level) for c in chain] == [("62.01", 3), ("62.0", 2), ("62", 1)]
    section = code.parent.parent.parent.parent
    assert (section.code, section.level, section.title) == ("J", 0, "Information og kommunikation")
    assert section.parent is None


@pytest.mark.realdata
@pytest.mark.django_db
def test_db07_second_load_changes_nothing(data_dir):
    industry_codes_load(path=data_dir / "db07" / "dksic.tsv")

    again = industry_codes_load(path=data_dir / "db07" / "dksic.tsv")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1740)
    assert IndustryCode.objects.count() == 1740


@pytest.mark.django_db
def test_without_the_file_the_21_sections_are_loaded(settings, tmp_path):
    settings.KLYNGE_DATA_DIR = tmp_path

    result = industry_codes_load()

    assert result.source == "builtin"
    assert result.by_level == {0: 21}
    codes = list(IndustryCode.objects.values_list("code", flat=True))
    assert codes == list("ABCDEFGHIJKLMNOPQRSTU")
    assert IndustryCode.objects.get(pk="J").title == "Information og kommunikation"
    assert IndustryCode.objects.get(pk="C").title == "Fremstillingsvirksomhed"


@pytest.mark.realdata
@pytest.mark.django_db
def test_the_file_completes_the_built_in_sections_without_changing_them(
    settings, tmp_path, data_dir
):
    settings.KLYNGE_DATA_DIR = tmp_path
    industry_codes_load()

    result = industry_codes_load(path=data_dir / "db07" / "dksic.tsv")

    assert (result.created, result.updated, result.unchanged) == (1719, 0, 21)


@pytest.mark.django_db
def test_a_missing_file_named_explicitly_is_an_error(tmp_path):
    with pytest.raises(ApplicationError, match="There is no DB07 file"):
        industry_codes_load(path=tmp_path / "absent.tsv")

    assert IndustryCode.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_db07_is_refused(tmp_path):
    path = tmp_path / "codes.tsv"
    path.write_text("code\ttitle\n62.01.00\tComputerprogrammering\n", encoding="utf-8")

    with pytest.raises(ApplicationError, match="is not a DB07 table"):
        industry_codes_load(path=path)

    assert IndustryCode.objects.count() == 0


@pytest.mark.django_db
def test_a_code_whose_parent_is_missing_is_refused(tmp_path):
    path = tmp_path / "dksic.tsv"
    header = "ID\tNiveau\tSection\tHovedgruppe\tGruppe\tUndergruppe\tDB07\tNB\tTekst\n"
    path.write_text(header + "1\t1\tJ\t62\t\t\t\t\tComputerprogrammering\n", encoding="utf-8")

    with pytest.raises(ApplicationError, match="62"):
        industry_codes_load(path=path)

    assert IndustryCode.objects.count() == 0


@pytest.mark.realdata
@pytest.mark.django_db
def test_load_industry_codes_command_reports_the_levels(data_dir):
    out = StringIO()

    call_command("load_industry_codes", str(data_dir / "db07" / "dksic.tsv"), stdout=out)

    assert "1740" in out.getvalue()
    assert "level 4: 741" in out.getvalue()
    assert IndustryCode.objects.count() == 1740


@pytest.mark.django_db
def test_every_install_has_the_strategy_taxonomy():
    kinds = {kind: FocusArea.objects.filter(kind=kind).count()
             for kind in ("focus_area", "technology", "theme")}
    green = FocusArea.objects.get(kind="focus_area", name_en="Digital & Green")
    resilience = FocusArea.objects.get(kind="focus_area", name_en="Digital Resilience")

    assert kinds == {"focus_area": 10, "technology": 4, "theme": 6}
    assert list(green.children.order_by("position").values_list("name_en", flat=True)) == [
        "Digital sector coupling", "Smart city", "Circular economy (data and IoT)",
        "Data science",
    ]
    assert list(resilience.children.order_by("position").values_list("name_da", flat=True)) == [
        "Connectivity (IoT og 5G)", "GovTech", "Industri 4.0 / SaaS", "Cybersikkerhed",
    ]
    assert list(FocusArea.objects.filter(kind="technology").order_by("position")
                .values_list("name_en", flat=True)) == [
        "Artificial intelligence (AI)", "Internet of Things (IoT)",
        "Data science and high performance computing (HPC)", "Cyber security",
    ]


@pytest.mark.django_db
def test_every_install_has_the_membership_tiers():
    tiers = list(MembershipTier.objects.order_by("position").values_list("name", "annual_fee"))

    assert tiers == [
        ("Lille virksomhed (1–49 ansatte)", Decimal("4000.00")),
        ("Mellemstor virksomhed (50–249 ansatte)", Decimal("10000.00")),
        ("Stor virksomhed (250+ ansatte)", Decimal("25000.00")),
        ("Videninstitution eller offentlig aktør", Decimal("15000.00")),
    ]
