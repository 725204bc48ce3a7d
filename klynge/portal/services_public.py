"""Writes a member makes in the portal's partner and activity pages. Each one checks what the
member may do (their own organisation, their own person and colleagues) and then calls the
owning app's service, so the same rules, audit entries and e-mails apply as for staff.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.activities import registrations as activity_registrations
from klynge.activities.choices import RegistrationSource, RegistrationStatus
from klynge.activities.models import Activity, Registration
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.core.roles import Role
from klynge.ecosystem.models import Organisation, Person
from klynge.matchmaking import selectors_introductions as introduction_reads
from klynge.matchmaking.choices import Purpose
from klynge.matchmaking.models import Introduction
from klynge.matchmaking.services import introductions as introduction_services
from klynge.portal import selectors_public as reads

logger = logging.getLogger(__name__)

#: The longest message a member may write with a request.
MESSAGE_MAX_LENGTH = 2000


def _member_organisation(user) -> Organisation:
    if user is None or user.role != Role.MEMBER or user.organisation_id is None:
        raise ApplicationError(_("Only people of a member organisation can do this."))
    return user.organisation


def _member_person(user) -> Person:
    if user.person_id is None:
        raise ApplicationError(_("Your account is not linked to a person in the cluster's "
                                 "registry yet; please ask the cluster team."))
    return user.person


# --- introductions ------------------------------------------------------------------------------


def partner_contact(organisation: Organisation) -> Person | None:
    """Who the introduction goes to at the other side: an eligible contact (matchmaking's rule:
    affiliated, with an e-mail, not having withdrawn matchmaking visibility), the one whose
    primary affiliation it is first. The member never sees who it is."""
    contacts = list(introduction_reads.eligible_contacts(organisation))
    if not contacts:
        return None
    primary = set(organisation.affiliations.filter(is_primary=True)
                  .values_list("person_id", flat=True))
    return next((p for p in contacts if p.pk in primary), contacts[0])


def _team_addresses(organisation: Organisation) -> list[str]:
    """The cluster team to tell: the organisation's hub's shared address, else the hub's staff,
    else every active staff member."""
    from django.contrib.auth import get_user_model

    hub = organisation.hub
    if hub is not None and hub.email:
        return [hub.email]
    staff = get_user_model().objects.filter(role=Role.STAFF, is_active=True).exclude(email="")
    if hub is not None and staff.filter(hub=hub).exists():
        staff = staff.filter(hub=hub)
    return sorted(staff.values_list("email", flat=True))


def _tell_team(introduction: Introduction, person: Person) -> None:
    addresses = _team_addresses(introduction.organisation_a)
    if not addresses:
        logger.warning("No cluster team address for introduction request %s", introduction.pk)
        return
    from klynge.matchmaking.services.introductions import base_url, cluster_name

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Introduction requested: %(a)s would like to meet %(b)s") % {
            "a": introduction.organisation_a.name, "b": introduction.organisation_b.name}
        body = render_to_string("portal/partners_request_email.txt", {
            "introduction": introduction, "person": person, "cluster_name": cluster_name(),
            "url": base_url() + introduction.get_absolute_url(),
        })
    send_mail(subject, body, None, addresses, fail_silently=False)


@transaction.atomic
def introduction_request(*, user, other: Organisation, message: str,
                         purpose: str = Purpose.ANY) -> Introduction:
    """A member asks the cluster to introduce their organisation to a suggested partner.

    Rules: the member's organisation and person; the other organisation is in the public
    directory (the only ones a member is shown) and not their own; a message saying why;
    the member has not withdrawn consent to matchmaking visibility; no open introduction of
    the two already (asked for by anyone, or made by staff). The request is an unsent
    introduction (matchmaking's `introduction_create`, made by the member) for the cluster
    team to review and send; the contact at the other side is chosen by matchmaking's rules.
    Side effects: audit entries klynge.matchmaking.introduction.created and
    klynge.portal.introduction.requested; an e-mail to the cluster team after commit.
    """
    organisation = _member_organisation(user)
    person = _member_person(user)
    if other is None or other.pk == organisation.pk or not reads.in_directory(other):
        raise ApplicationError(_("Introductions can be asked for to organisations in the "
                                 "member directory only."), field="organisation")
    message = (message or "").strip()
    if not message:
        raise ApplicationError(_("Write a few words on why you would like to meet them: the "
                                 "cluster team and %(name)s read it.") % {"name": other.name},
                               field="message")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ApplicationError(_("Please keep the message under %(n)s characters.")
                               % {"n": MESSAGE_MAX_LENGTH}, field="message")
    if purpose not in Purpose.values:
        purpose = Purpose.ANY
    if introduction_reads.has_withdrawn_visibility(person):
        raise ApplicationError(_("You have withdrawn your consent to being visible in "
                                 "matchmaking. Give it again under your consents to ask for "
                                 "introductions."))
    existing = introduction_reads.open_between(organisation, other).first()
    if existing is not None:
        raise ApplicationError(
            _("There is already an open introduction between %(a)s and %(b)s (made %(day)s); "
              "the cluster team will tell you how it goes.")
            % {"a": organisation.name, "b": other.name,
               "day": timezone.localtime(existing.created_at).date().isoformat()},
            field="organisation")
    introduction = introduction_services.introduction_create(
        actor=user, organisation_a=organisation, person_a=person, organisation_b=other,
        person_b=partner_contact(other), purpose=purpose, message=message,
        hub=organisation.hub or other.hub,
    )
    log_action(introduction, "klynge.portal.introduction.requested", actor=user,
               data={"organisation_a": organisation.name, "organisation_b": other.name,
                     "person_a": person.pk})
    transaction.on_commit(lambda: _tell_team(introduction, person))
    return introduction


# --- activities ---------------------------------------------------------------------------------


def _check_person(user, person: Person) -> None:
    """The member themselves, or a current colleague at their organisation."""
    if person is None:
        raise ApplicationError(_("Choose who to sign up."), field="person")
    if person.pk == user.person_id:
        return
    if not reads.colleagues(user.organisation).filter(pk=person.pk).exists():
        raise ApplicationError(_("You can sign up yourself and colleagues at %(name)s only.")
                               % {"name": user.organisation.name}, field="person")


@transaction.atomic
def activity_signup(*, user, activity: Activity, person: Person, answers: dict | None = None,
                    site_url: str | None = None) -> Registration:
    """Sign the member (or a colleague at their organisation) up for an activity.

    Rules: a published upcoming activity (public, open or registration closed); the
    sign-up is open (activities' `signup_closed_reason`: status, deadline, start); the
    registration questions are answered (required ones, choices among the choices); one live
    registration per person; past capacity the person goes on the waitlist — all through
    activities' `registration_create` (source: member portal, organisation: the member's).
    Side effects: as registration_create (audit entry, confirmation or waitlist e-mail).
    """
    organisation = _member_organisation(user)
    if not reads.portal_activities().filter(pk=activity.pk).exists():
        raise ApplicationError(_("This activity is not open for sign-up in the portal."))
    reason = activity_registrations.signup_closed_reason(activity)
    if reason:
        raise ApplicationError(reason)
    _check_person(user, person)
    if activity.registrations.filter(person=person).exclude(
            status=RegistrationStatus.CANCELLED).exists():
        if person.pk == user.person_id:
            raise ApplicationError(_("You are already signed up for this activity."),
                                   field="person")
        raise ApplicationError(_("%(name)s is already signed up for this activity.")
                               % {"name": person.full_name}, field="person")
    clean = activity_registrations.answers_clean(questions=activity.questions.all(),
                                                 raw=answers or {})
    return activity_registrations.registration_create(
        activity=activity, person=person, actor=user, organisation=organisation,
        source=RegistrationSource.PORTAL, answers=clean, site_url=site_url,
    )


@transaction.atomic
def activity_signup_cancel(*, user, registration: Registration,
                           site_url: str | None = None) -> list[Registration]:
    """Cancel the member's own sign-up or a colleague's (a freed seat goes to the waitlist:
    activities' `registration_cancel`). Refused once the activity has started."""
    organisation = _member_organisation(user)
    allowed = reads.organisation_registrations(organisation, person=user.person)
    if not allowed.filter(pk=registration.pk).exists():
        raise ApplicationError(_("You can cancel your own sign-ups and your colleagues' only."))
    if timezone.now() >= registration.activity.starts_at:
        raise ApplicationError(_("The activity has started; the sign-up can no longer be "
                                 "cancelled."))
    return activity_registrations.registration_cancel(registration=registration, actor=user,
                                                      site_url=site_url)
