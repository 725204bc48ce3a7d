"""The booking rules as pure code: every obstacle code, alone and together."""

from dataclasses import replace

import pytest

from klynge.brokerage.domain import rules
from klynge.brokerage.domain.rules import Existing, RequestFacts, Side

A = Side(id=1, organisation_id=10, type_id=None, cap=3, accepted=0)
B = Side(id=2, organisation_id=20, type_id=None, cap=3, accepted=0)


def facts(**changes) -> RequestFacts:
    return replace(RequestFacts(requester=A, recipient=B, common_free_slots=4), **changes)


def test_a_possible_meeting_has_no_obstacle():
    assert rules.obstacles(facts()) == ()


def test_self_is_the_only_obstacle_reported_for_oneself():
    assert rules.obstacles(facts(recipient=replace(A, listed=False))) == ("self",)


def test_colleagues_from_one_organisation_cannot_meet():
    assert rules.obstacles(facts(recipient=replace(B, organisation_id=10))) == ("colleague",)


def test_two_participants_without_organisation_are_not_colleagues():
    given = facts(requester=replace(A, organisation_id=None),
                  recipient=replace(B, organisation_id=None))
    assert rules.obstacles(given) == ()


@pytest.mark.parametrize("side", ["requester", "recipient"])
def test_a_withdrawn_side_cannot_be_booked(side):
    person = A if side == "requester" else B
    assert rules.obstacles(facts(**{side: replace(person, withdrawn=True)})) == ("withdrawn",)


def test_an_unlisted_recipient_refuses_participants_but_not_the_organiser():
    unlisted = replace(B, listed=False)
    assert rules.obstacles(facts(recipient=unlisted)) == ("not_listed",)
    assert rules.obstacles(facts(recipient=unlisted, by_organiser=True)) == ()


def test_same_type_not_allowed_only_when_the_type_forbids_it():
    sellers_a = replace(A, type_id=5, type_may_meet_same=False)
    sellers_b = replace(B, type_id=5, type_may_meet_same=False)
    buyer_b = replace(B, type_id=6, type_may_meet_same=True)
    assert rules.obstacles(facts(requester=sellers_a, recipient=sellers_b)) == (
        "same_type_not_allowed",)
    assert rules.obstacles(facts(requester=sellers_a, recipient=buyer_b)) == ()
    mixers = replace(A, type_id=7), replace(B, type_id=7)
    assert rules.obstacles(facts(requester=mixers[0], recipient=mixers[1])) == ()


@pytest.mark.parametrize("changes", [{"requests_open": False}, {"deadline_passed": True}])
def test_requests_closed_for_participants_not_for_the_organiser(changes):
    assert rules.obstacles(facts(**changes)) == ("requests_closed",)
    assert rules.obstacles(facts(by_organiser=True, **changes)) == ()


@pytest.mark.parametrize("existing", [Existing(1, "requested"), Existing(2, "requested"),
                                      Existing(1, "accepted")])
def test_already_requested_either_way_round(existing):
    assert rules.obstacles(facts(existing=existing)) == ("already_requested",)
    assert rules.obstacles(facts(existing=existing, by_organiser=True)) == (
        "already_requested",)


def test_a_declined_or_cancelled_meeting_is_not_open():
    assert rules.obstacles(facts(existing=Existing(1, "cancelled"))) == ()


def test_already_declined_means_no_second_request():
    assert rules.obstacles(facts(declined_by_recipient=True)) == ("already_declined",)


def test_an_open_request_wins_over_an_old_decline():
    given = facts(existing=Existing(2, "requested"), declined_by_recipient=True)
    assert rules.obstacles(given) == ("already_requested",)


def test_caps_of_each_side():
    assert rules.obstacles(facts(requester=replace(A, accepted=3))) == ("requester_full",)
    assert rules.obstacles(facts(recipient=replace(B, accepted=3))) == ("recipient_full",)
    assert rules.obstacles(facts(recipient=replace(B, cap=None, accepted=30))) == ()
    # a cap of 0 (no free slot at all) is the missing common slot, not a full agenda
    assert rules.obstacles(facts(recipient=replace(B, cap=0), common_free_slots=0)) == (
        "no_common_slot",)


def test_no_common_slot_only_when_the_event_has_slots():
    assert rules.obstacles(facts(common_free_slots=0)) == ("no_common_slot",)
    assert rules.obstacles(facts(common_free_slots=None)) == ()
    assert rules.obstacles(facts(common_free_slots=1)) == ()


def test_every_obstacle_is_reported_in_the_order_of_the_codes():
    given = RequestFacts(
        requester=replace(A, type_id=5, type_may_meet_same=False, withdrawn=True, accepted=3),
        recipient=replace(B, organisation_id=10, type_id=5, listed=False, accepted=3),
        requests_open=False, existing=Existing(2, "accepted"), common_free_slots=0,
    )
    assert rules.obstacles(given) == (
        "colleague", "withdrawn", "not_listed", "same_type_not_allowed", "requests_closed",
        "already_requested", "requester_full", "recipient_full", "no_common_slot")
    assert set(rules.obstacles(replace(given, existing=None, declined_by_recipient=True))) \
        == set(rules.CODES) - {"self", "already_requested"}


def test_accepting_checks_withdrawal_and_both_agendas():
    assert rules.accept_obstacles(facts()) == ()
    assert rules.accept_obstacles(facts(recipient=replace(B, accepted=3),
                                        requester=replace(A, withdrawn=True))) == (
        "withdrawn", "recipient_full")
    assert rules.accept_obstacles(facts(requester=replace(A, accepted=3))) == (
        "requester_full",)


@pytest.mark.parametrize(("own", "of_type", "of_event", "free", "expected"), [
    (2, 5, 8, 10, 2),
    (None, 5, 8, 10, 5),
    (None, None, 8, 10, 8),
    (None, None, None, 10, 10),
    (None, None, 8, 3, 3),
    (None, None, None, None, None),
    (4, None, None, None, 4),
])
def test_effective_cap(own, of_type, of_event, free, expected):
    assert rules.effective_cap(own=own, of_type=of_type, of_event=of_event,
                               free_slots=free) == expected
