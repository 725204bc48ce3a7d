"""The .dzn reader: a hand-written instance read exactly, odd fields refused, the 20 real files."""

import re

import pytest

from klynge.brokerage.domain.dzn import parse_dzn, read_dzn
from klynge.brokerage.domain.model import Event, Placement, Request

SMALL = """\
% a hand-written instance in the JAIR 2022 format
nBusiness = 4;   nMeetings=4;
nTables = 2 ;
nTotalSlots = 4;  % two in the morning, two in the afternoon
nMorningSlots = 2;

requested = [| 1, 2, 3,
             | 2,3,1
             |3 , 4 , 2,
             |4, 1, 3 |];
meetingsxBusiness = [{1,2,4}, {1,2}, {2,3}, {3,4}];
nMeetingsBusiness = [2, 2, 2, 2];
forbidden = [{0}, {0,4}, {}, {0, 1, 2}];
fixed = [0, 0, 0, 3];
precedences = [{},{},{},{}];
"""

REAL_MEETINGS = {
    "forum-13": 154, "forum-13crafb": 195, "forum-13crafc": 154, "forum-14": 302,
    "forumt-14": 237, "forumt-14crafc": 237, "forumt-14crafd": 236, "forumt-14crafe": 236,
    "tic-12": 125, "tic-12crafc": 125, "tic-13": 180, "tic-13crafb": 184, "tic-13crafc": 180,
    "tic-14crafa": 237, "tic-14crafc": 237, "tic-14crafd": 236, "ticf-13crafa": 154,
    "ticf-13crafb": 195, "ticf-13crafc": 154, "ticf-14crafa": 302,
}


def test_small_instance_is_read_exactly():
    assert read_dzn(SMALL) == Event(
        participants=(1, 2, 3, 4),
        slot_sessions=(1, 1, 2, 2),
        tables=2,
        requests=(
            Request(0, 1, 2, 1, frozenset()),
            Request(1, 2, 3, 1, frozenset({1})),
            Request(2, 3, 4, 1, frozenset({2})),
            Request(3, 4, 1, 1, frozenset()),
        ),
        unavailable={2: frozenset({3}), 4: frozenset({0, 1})},
        caps={},
        locked={3: Placement(2)},
    )


def test_parse_handles_ranges_block_comments_and_nested_arrays():
    fields = parse_dzn("/* header */ a = 1..3; b = [{1..2, 5}, {}]; c = [| 1 | 2 |]; d = -1")
    assert fields == {"a": range(1, 4), "b": [frozenset({1, 2, 5}), frozenset()],
                      "c": [[1], [2]], "d": -1}


@pytest.mark.parametrize(("old", "new", "message"), [
    ("nTables = 2 ;", "", "missing field nTables"),
    ("nMeetings=4;", "nMeetings=5;", "requested has 4 rows, nMeetings is 5"),
    ("nMorningSlots = 2;", "nMorningSlots = 5;", "nMorningSlots (5) exceeds nTotalSlots (4)"),
    ("|3 , 4 , 2,", "|3 , 4 , 4,", "requested row 3: session 4 is not 1, 2 or 3"),
    ("|3 , 4 , 2,", "|3 , 9 , 2,", "requested row 3: participant 9 is not in 1..4"),
    ("|3 , 4 , 2,", "|3 , 4,", "requested row 3 must be three integers"),
    ("|3 , 4 , 2,", "|3 , 3 , 2,", "requested row 3: participant 3 meets itself"),
    ("{0,4}", "{0,5}", "forbidden[2]: slot 5 is not in 1..4"),
    ("forbidden = [{0}, {0,4}, {}, {0, 1, 2}];", "forbidden = [{0}];",
     "forbidden must be an array of 4 sets"),
    ("fixed = [0, 0, 0, 3];", "fixed = [0, 0, 0, 7];", "fixed[4]: slot 7 is not in 0..4"),
    ("nTables = 2 ;", "nTables = -2 ;", "nTables must be an integer ≥ 0"),
    ("nTables = 2 ;", "nTables = 2 # ;", "unexpected character '#'"),
    ("nTables = 2 ;", "nTables = [1, 2 ;", "nTables: expected ',' or ']'"),
])
def test_odd_fields_are_refused_with_a_clear_message(old, new, message):
    text = SMALL.replace(old, new)
    assert text != SMALL
    with pytest.raises(ValueError, match=re.escape(message)):
        read_dzn(text)


@pytest.mark.realdata
def test_every_real_instance_is_read(data_dir):
    folder = data_dir / "b2b-jair2022"
    files = sorted(folder.glob("*.dzn"))
    assert len(files) == 20
    found = {}
    for path in files:
        event = read_dzn(path.read_text())
        found[path.name.removesuffix(".original.dzn")] = len(event.requests)
        assert event.participants[0] == 1
        assert event.slot_sessions[0] == 1
        assert all(event.allowed_slots(r) for r in event.requests)
        assert not event.locked
    assert found == REAL_MEETINGS


@pytest.mark.realdata
def test_a_real_instance_in_detail(data_dir):
    event = read_dzn((data_dir / "b2b-jair2022" / "forum-13.original.dzn").read_text())
    assert (len(event.participants), event.tables, event.n_slots) == (70, 14, 21)
    assert event.slot_sessions == (1,) * 13 + (2,) * 8
    assert sum(1 for r in event.requests if r.sessions) == 95
    assert len(event.unavailable) == 22
