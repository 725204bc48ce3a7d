"""Composition rules (validation, one default, audit), the proposal for a call, and turning a
consortium into an EU application."""

import pytest

from klynge.core.audit import audit_entries_for
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.matchmaking import consortia
from klynge.matchmaking.models import (
    CallTopic,
    CompositionRules,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)
from klynge.matchmaking.services import consortia as services
from klynge.projects.choices import PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.models import Project
from tests.factories import OrganisationFactory, user_with_role

VISION = ("Computer vision for quality control in manufacturing: deep learning for image "
          "recognition of defects on production lines.")


def cordis_org(number, name, kind, country, *, sme=False, text=VISION):
    """A CORDIS-only organisation with one EU project about `text`."""
    record = CordisOrganisation.objects.create(cordis_id=f"9{number:05d}", name=name, kind=kind,
                                               is_sme=sme, country=country, city="City")
    project = CordisProject.objects.create(cordis_id=f"8{number:05d}", acronym=f"P{number}",
                                           topic_title=text)
    CordisParticipation.objects.create(project=project, cordis_organisation=record,
                                       role="participant")
    return record


def cluster():
    """A call about computer vision, a Danish SME as lead, a Danish university, and CORDIS-only
    candidates: research in Germany and Sweden, a large German company, public bodies in France
    and the Netherlands."""
    call = CallTopic.objects.create(
        identifier="HORIZON-CL4-2025-VISION-01", title="Computer vision for quality control",
        description="Deep learning and image recognition for defects in manufacturing.",
        programme="HORIZON")
    lead = OrganisationFactory(name="Vision Robotics ApS", employee_band="10-49",
                               competences="Robot cells; computer vision for quality control")
    uni = OrganisationFactory(name="Aalborg University", kind="university",
                              employee_band="250+", competences=VISION)
    return {
        "call": call, "lead": lead, "uni": uni,
        "fraunhofer": cordis_org(1, "Fraunhofer IPA", "research", "DE"),
        "rise": cordis_org(2, "RISE Research Institutes of Sweden", "research", "SE"),
        "siemens": cordis_org(3, "Siemens AG", "company", "DE"),
        "paris": cordis_org(4, "Ville de Paris", "public", "FR"),
        "utrecht": cordis_org(5, "Gemeente Utrecht", "public", "NL"),
    }


def rules_data(**overrides):
    return {"name": "Two countries", "min_partners": 2, "max_partners": 5, "min_countries": 2,
            "eligible_countries": "dk, DE  se", "is_default": False, **overrides}


ROLES = [{"label": "Research", "min_count": 1, "kinds": ["research", "higher_education"],
          "size": "any"},
         {"label": "SME", "min_count": 1, "kinds": ["company"], "size": "sme"}]


# --- composition rules ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_rules_are_seeded():
    rules = CompositionRules.objects.get()
    assert (rules.name, rules.is_default, rules.min_partners, rules.min_countries) == (
        "Horizon Europe-samarbejdsprojekt", True, 3, 3)
    domain = consortia.domain_rules(rules)
    assert [r.label for r in domain.roles] == [
        "Forskningsinstitution eller universitet", "SMV",
        "Slutbruger (stor virksomhed eller offentlig myndighed)"]
    assert {"DK", "DE", "EL", "GR", "UK", "GB", "NO"} <= domain.eligible_countries


def test_parse_countries():
    assert services.parse_countries("dk, DE;se  dk") == ["DK", "DE", "SE"]
    assert services.parse_countries(["no", "is"]) == ["NO", "IS"]
    assert services.parse_countries("") == []
    with pytest.raises(ApplicationError) as error:
        services.parse_countries("DK, Denmark, D1")
    assert error.value.message == ("Countries are two-letter codes (DK, DE, …); these are not: "
                                   "DENMARK, D1.")
    assert error.value.field == "eligible_countries"


@pytest.mark.django_db
def test_rules_create_saves_roles_in_order_and_logs():
    actor = user_with_role(Role.MANAGEMENT)
    rules = services.rules_create(actor=actor, data=rules_data(name="  Two countries "),
                                  roles=ROLES)

    assert rules.name == "Two countries"
    assert rules.eligible_countries == ["DK", "DE", "SE"]
    assert rules.is_default is False
    assert [(r.label, r.min_count, r.kinds, r.size, r.position) for r in rules.roles.all()] == [
        ("Research", 1, ["research", "higher_education"], "any", 0),
        ("SME", 1, ["company"], "sme", 1)]
    entry = audit_entries_for(rules)[0]
    assert entry.action == "klynge.matchmaking.rules.created"
    assert entry.actor == actor
    assert entry.data["roles"][1]["label"] == "SME"


@pytest.mark.parametrize(("data", "roles", "field", "message"), [
    ({"name": " "}, ROLES, "name", "Give the rules a name."),
    ({"name": "horizon europe-SAMARBEJDSPROJEKT"}, ROLES, "name",
     "Rules called “horizon europe-SAMARBEJDSPROJEKT” exist already; choose another name."),
    ({"min_partners": 6}, ROLES, "max_partners",
     "The minimum number of organisations (6) is larger than the maximum (5)."),
    ({"min_countries": 0}, ROLES, "min_countries", "Give a whole number of at least 1."),
    ({"min_countries": 6}, ROLES, "min_countries",
     "6 countries cannot be reached with at most 5 organisations."),
    ({"eligible_countries": "DK DEU"}, ROLES, "eligible_countries",
     "Countries are two-letter codes (DK, DE, …); these are not: DEU."),
    ({}, [{"label": "", "min_count": 1, "kinds": ["company"], "size": "any"}], "roles",
     "Role 1 needs a name."),
    ({}, [{"label": "End user", "min_count": 1, "kinds": [], "size": "any"}], "roles",
     "Choose at least one kind of organisation for the role “End user”."),
    ({}, [{"label": "End user", "min_count": 1, "kinds": ["giant"], "size": "any"}], "roles",
     "Unknown kind of organisation: giant."),
    ({}, [{"label": "End user", "min_count": 0, "kinds": ["public"], "size": "any"}], "roles",
     "The role “End user” needs at least 1 organisation."),
    ({}, [ROLES[0], {**ROLES[1], "label": "research"}], "roles",
     "Two roles have the same name; give each role its own."),
])
@pytest.mark.django_db
def test_rules_validation(data, roles, field, message):
    with pytest.raises(ApplicationError) as error:
        services.rules_create(actor=None, data=rules_data(**data), roles=roles)
    assert (error.value.field, error.value.message) == (field, message)
    assert CompositionRules.objects.count() == 1


@pytest.mark.django_db
def test_there_is_exactly_one_default():
    seeded = CompositionRules.objects.get()
    new = services.rules_create(actor=None, data=rules_data(is_default=True), roles=[])

    seeded.refresh_from_db()
    assert (new.is_default, seeded.is_default) == (True, False)
    with pytest.raises(ApplicationError) as error:
        services.rules_update(rules=new, actor=None, data=rules_data(is_default=False),
                              roles=[])
    assert error.value.message == ("These are the default rules. Make other rules the default "
                                   "instead.")
    with pytest.raises(ApplicationError) as error:
        services.rules_delete(rules=new, actor=None)
    assert error.value.message == ("The default rules cannot be deleted. Make other rules the "
                                   "default first.")


@pytest.mark.django_db
def test_the_first_rules_become_the_default():
    CompositionRules.objects.all().delete()
    rules = services.rules_create(actor=None, data=rules_data(), roles=[])
    assert rules.is_default is True


@pytest.mark.django_db
def test_rules_update_replaces_roles_and_logs_the_changes():
    rules = services.rules_create(actor=None, data=rules_data(), roles=ROLES)
    services.rules_update(rules=rules, actor=None, data=rules_data(max_partners=6),
                          roles=[ROLES[1]])

    rules.refresh_from_db()
    assert rules.max_partners == 6
    assert [r.label for r in rules.roles.all()] == ["SME"]
    entry = audit_entries_for(rules)[0]
    assert entry.action == "klynge.matchmaking.rules.updated"
    assert entry.data["changes"]["max_partners"] == [5, 6]


@pytest.mark.django_db
def test_rules_delete_logs_what_was_deleted():
    rules = services.rules_create(actor=None, data=rules_data(), roles=ROLES)
    services.rules_delete(rules=rules, actor=None)

    assert not CompositionRules.objects.filter(name="Two countries").exists()
    entry = AuditEntry.objects.get(action="klynge.matchmaking.rules.deleted")
    assert entry.object_repr == "Two countries"
    assert [r["label"] for r in entry.data["roles"]] == ["Research", "SME"]


# --- the proposal ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_propose_by_the_default_rules_mixes_registry_and_cordis():
    given = cluster()
    proposal = consortia.propose(given["call"], given["lead"], consortia.default_rules())

    assert [(m.role, m.option.name, m.option.country) for m in proposal.members] == [
        ("Lead (coordinator)", "Vision Robotics ApS", "DK"),
        ("Forskningsinstitution eller universitet", "Fraunhofer IPA", "DE"),
        ("Slutbruger (stor virksomhed eller offentlig myndighed)", "Ville de Paris", "FR"),
    ]
    assert proposal.members[1].option.in_registry is False
    assert proposal.members[1].reasons[0].code == "shared_terms"
    assert [a.name for a in proposal.members[1].alternatives] == [
        "RISE Research Institutes of Sweden"]
    assert [a.name for a in proposal.members[2].alternatives] == ["Gemeente Utrecht"]
    assert proposal.complete is True
    assert [c.text for c in proposal.checks] == [
        "At least 3 and at most 8 organisations: 3",
        "Organisations from at least 3 eligible countries: 3 (DE, DK, FR)",
        "At least 1 × Forskningsinstitution eller universitet: 1 (Fraunhofer IPA)",
        "At least 1 × SMV: 1 (Vision Robotics ApS)",
        "At least 1 × Slutbruger (stor virksomhed eller offentlig myndighed): 1 "
        "(Ville de Paris)",
    ]
    assert proposal.candidate_count == 6


@pytest.mark.django_db
def test_propose_applies_swaps_and_ignores_what_does_not_fit():
    given = cluster()
    uni = f"org:{given['uni'].pk}"
    proposal = consortia.propose(given["call"], given["lead"], consortia.default_rules(),
                                 {1: uni, 2: f"org:{given['lead'].pk}", 7: "cordis:1"})

    assert [m.option.name for m in proposal.members] == [
        "Vision Robotics ApS", "Aalborg University", "Ville de Paris"]
    assert proposal.swaps == {1: uni}
    assert proposal.members[1].swapped is True
    assert proposal.complete is False
    assert proposal.checks[1].text == ("Organisations from at least 3 eligible countries: 2 "
                                       "(DK, FR)")


@pytest.mark.django_db
def test_an_impossible_role_is_named():
    given = cluster()
    rules = services.rules_create(actor=None, data=rules_data(), roles=[
        {"label": "Investor", "min_count": 1, "kinds": ["other"], "size": "any"}])
    proposal = consortia.propose(given["call"], given["lead"], rules)

    assert proposal.checks[2].text == ("At least 1 × Investor: 0 (none) – no Investor among the "
                                       "candidates")
    assert proposal.complete is False


# --- the EU application ---------------------------------------------------------------------


@pytest.mark.django_db
def test_consortium_to_application_registers_cordis_members_and_the_partners():
    given = cluster()
    actor = user_with_role(Role.STAFF)
    project = services.consortium_to_application(
        call=given["call"], lead=given["lead"], actor=actor,
        members=[f"org:{given['lead'].pk}", f"cordis:{given['fraunhofer'].pk}",
                 f"org:{given['uni'].pk}", f"cordis:{given['fraunhofer'].pk}"])

    assert (project.title, project.kind, project.status, project.call_identifier,
            project.programme, project.responsible) == (
        "Computer vision for quality control", ProjectKind.EU_APPLICATION,
        ProjectStatus.PREPARING, "HORIZON-CL4-2025-VISION-01", "HORIZON", actor)
    given["fraunhofer"].refresh_from_db()
    fraunhofer = given["fraunhofer"].organisation
    assert (fraunhofer.name, fraunhofer.kind, fraunhofer.country) == ("Fraunhofer IPA", "gts",
                                                                       "DE")
    partners = sorted((p.organisation.name, p.role) for p in project.partnerships.all())
    assert partners == [("Aalborg University", PartnerRole.PARTNER),
                        ("Fraunhofer IPA", PartnerRole.PARTNER),
                        ("Vision Robotics ApS", PartnerRole.COORDINATOR)]
    assert audit_entries_for(project)[0].action == (
        "klynge.matchmaking.consortium.application_created")


@pytest.mark.parametrize(("lead", "members", "field", "message"), [
    (None, ["org:0"], "lead", "Choose the lead organisation from the registry."),
    ("lead", ["lead"], "members",
     "A consortium needs at least two organisations: the lead and one partner."),
    ("lead", ["cordis:999999"], "members",
     "A member of the consortium no longer exists (cordis:999999); build the consortium "
     "again."),
])
@pytest.mark.django_db
def test_consortium_to_application_validation(lead, members, field, message):
    given = cluster()
    lead = given["lead"] if lead else None
    members = [f"org:{given['lead'].pk}" if m == "lead" else m for m in members]
    with pytest.raises(ApplicationError) as error:
        services.consortium_to_application(call=given["call"], lead=lead, members=members,
                                           actor=None)
    assert (error.value.field, error.value.message) == (field, message)
    assert not Project.objects.exists()
