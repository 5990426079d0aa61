"""The console's arithmetic of attendance and votes (app/console_votes.py), without a screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import console_votes as cv
from app import protocol as p
from app import tally

MEETING = 3


def _delegates() -> list[p.Delegate]:
    return [
        p.Delegate(id=1, number="0001", full_name="Nguyễn Thị Hồng Nhung", delegation="Hà Nội",
                   groups=["ban-chap-hanh"]),
        p.Delegate(id=2, number="0002", full_name="Trần Văn Đức", delegation="Hà Nội"),
        p.Delegate(id=3, number="0003", full_name="Lê Quốc Hưng", delegation="Huế"),
        p.Delegate(id=4, number="0004", full_name="Khách", delegation="", voting_right=False),
    ]  # fmt: skip


def _standings(
    present: tuple[int, ...] = (), proxies: dict[int, int] | None = None
) -> dict[int, cv.Standing]:
    attendance = {
        (MEETING, d): p.Attendance(meeting_id=MEETING, delegate_id=d, status="present")
        for d in present
    }
    attendance[(MEETING + 1, 3)] = p.Attendance(
        meeting_id=MEETING + 1, delegate_id=3, status="present"
    )
    held = {
        (MEETING, giver): p.Proxy(
            meeting_id=MEETING, giver_id=giver, holder_id=holder, giver_number="x", giver_name="x"
        )
        for giver, holder in (proxies or {}).items()
    }
    return cv.standings(_delegates(), attendance, held, MEETING)


def test_counts_by_status_members_and_the_represented() -> None:
    by_id = _standings(present=(1, 4), proxies={3: 1})
    counts = cv.count(by_id)
    assert (counts.total, counts.present, counts.not_checked_in) == (4, 2, 2)  # other meeting: no
    assert (counts.members, counts.members_present, counts.members_represented) == (3, 1, 1)
    assert by_id[1].holds == (3,) and by_id[3].gives_to == 1
    assert [(c.delegation, c.present, c.total) for c in cv.delegation_counts(by_id.values())] == [
        ("Hà Nội", 1, 2),
        ("Huế", 0, 1),
        ("", 1, 1),
    ]


def test_turnout_counts_who_may_vote_now_and_who_did() -> None:
    by_id = _standings(present=(1,), proxies={3: 1})
    delegates = {d.id: d for d in _delegates()}
    poll = p.Poll(id=9, meeting_id=MEETING, title="Q", spec=p.PollSpec(), status="open")
    # 2 voted (she is present, and cast for the giver of her proxy); 2 (absent) also voted? no:
    turnout = p.Turnout(poll_id=9, voted=1, eligible=2, voters=[1])
    got = cv.poll_turnout(poll, delegates, by_id, turnout)
    assert (got.voted, got.eligible, got.waiting) == (1, 2, (3,))
    groups = p.Poll(id=9, meeting_id=MEETING, title="Q", spec=p.PollSpec(groups=["ban-chap-hanh"]))
    assert cv.poll_turnout(groups, delegates, by_id, None) == cv.PollTurnout(0, 1, (1,))
    secret = p.Poll(id=9, meeting_id=MEETING, title="Q", spec=p.PollSpec(secret=True))
    assert cv.poll_turnout(secret, delegates, by_id, turnout).waiting == ()
    assert cv.poll_turnout(poll, {}, {}, turnout) == cv.PollTurnout(1, 2)


def _closed(spec: p.PollSpec, votes: list[p.Marks]) -> p.Poll:
    result = tally.count(spec, [tally.Counted(m) for m in votes], len(votes), len(votes))
    return p.Poll(id=1, meeting_id=MEETING, title="Bầu", spec=spec, status="closed", result=result)


def _options(n: int) -> list[p.PollOption]:
    return [p.PollOption(id=i, label=f"Ứng viên {i}") for i in range(1, n + 1)]


def test_a_runoff_is_between_the_tied_for_the_seats_left() -> None:
    spec = p.PollSpec(kind="election", options=_options(4), min_choices=2, max_choices=2)
    ballots = [p.Marks(chosen=[1, 2]), p.Marks(chosen=[1, 3]), p.Marks(chosen=[1, 4])]
    poll = _closed(spec, ballots)
    assert poll.result is not None and poll.result.elected == [1] and poll.result.tied == [2, 3, 4]
    runoff = cv.runoff_spec(poll)
    assert runoff is not None
    assert [o.id for o in runoff.options] == [2, 3, 4]
    assert (runoff.max_choices, runoff.min_choices, runoff.kind) == (1, 1, "election")
    single = p.PollSpec(kind="single", options=_options(3), secret=True)
    tie = cv.runoff_spec(_closed(single, [p.Marks(chosen=[1]), p.Marks(chosen=[3])]))
    assert tie is not None and [o.id for o in tie.options] == [1, 3] and tie.secret
    clear = _closed(single, [p.Marks(chosen=[1]), p.Marks(chosen=[1])])
    assert cv.runoff_spec(clear) is None
    motion = _closed(p.PollSpec(), [p.Marks(answer="yes"), p.Marks(answer="no")])
    assert motion.result is not None and motion.result.outcome == "tie"
    assert cv.runoff_spec(motion) is None  # a motion's tie is not adopted; nothing to run off


def test_spec_problems_land_on_the_part_they_concern() -> None:
    assert cv.spec_problem(p.PollSpec()) is None
    assert cv.spec_problem(p.PollSpec(kind="single")) == (
        "options",
        "A single-choice poll needs at least 2 options.",
    )
    bad_majority = p.PollSpec(majority=p.Majority(rule="fraction", numerator=5, denominator=4))
    assert cv.spec_problem(bad_majority) == (
        "majority",
        "A majority of 5/4 is more than all the votes.",
    )
    assert cv.spec_problem(p.PollSpec(quorum=p.Quorum(kind="count")))[0] == "quorum"  # type: ignore[index]
    assert cv.spec_problem(p.PollSpec(secret=True, changeable=True))[0] == "ballot"  # type: ignore[index]
    assert cv.spec_problem(p.PollSpec(seconds=5))[0] == "limits"  # type: ignore[index]


def test_templates_round_trip_and_a_broken_file_is_a_template_error(tmp_path: Path) -> None:
    path = tmp_path / "console" / cv.TEMPLATES_FILE
    assert cv.load_templates(path) == []
    one = cv.PollTemplate(name="Bầu Ban", spec=cv.BUILT_IN[cv.ELECT_COMMITTEE])
    cv.save_templates(path, cv.with_template([], one))
    same_name = cv.PollTemplate(name="bầu ban", spec=p.PollSpec())
    templates = cv.with_template(cv.load_templates(path), same_name)
    assert templates == [same_name]
    for text, kind in (
        ("[1, 2", "damaged"),
        ('{"templates": [{"name": "x"}]}', "damaged"),
        ('{"templates": [{"name": "x", "spec": {"kind": "single", "max_choices": 2}}]}', "invalid"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(cv.TemplateError) as caught:
            cv.load_templates(path)
        assert caught.value.kind == kind
    aside = cv.set_aside(path)
    assert not path.exists() and aside.name == "poll-templates.unreadable.json"
    for spec in cv.BUILT_IN.values():
        cv.check_template(spec)  # an election's template comes without its candidates
    with pytest.raises(tally.PollError, match="5 seats with 2 candidates"):
        cv.check_template(p.PollSpec(kind="election", options=_options(2), max_choices=5))
