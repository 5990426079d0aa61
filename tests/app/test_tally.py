"""The count of a poll, checked against results worked out by hand: the server, ``poll verify``
and the delegate's app all rely on these figures, so each one is stated, never recomputed."""

from __future__ import annotations

import pytest

from app import protocol as p
from app.tally import Counted, PollError, check_marks, check_spec, count, has_vote

# --------------------------------------------------------------------------- helpers


def options(*labels: str) -> list[p.PollOption]:
    """Options with ids 1, 2, 3... in the order given."""
    return [p.PollOption(id=i, label=label) for i, label in enumerate(labels, start=1)]


def majority(
    rule: p.MajorityRule = "simple",
    basis: p.MajorityBasis = "cast",
    abstentions_count: bool = False,
    numerator: int = 1,
    denominator: int = 2,
) -> p.Majority:
    return p.Majority(
        rule=rule,
        basis=basis,
        abstentions_count=abstentions_count,
        numerator=numerator,
        denominator=denominator,
    )


def answer(a: p.Answer, weight: int = 1) -> Counted:
    return Counted(p.Marks(answer=a), weight)


def motion_votes(yes: int = 0, no: int = 0, abstain: int = 0) -> list[Counted]:
    """One vote of weight 1 per delegate."""
    return [answer("yes")] * yes + [answer("no")] * no + [answer("abstain")] * abstain


def chose(*ids: int, weight: int = 1) -> Counted:
    return Counted(p.Marks(chosen=list(ids)), weight)


def abstained(weight: int = 1) -> Counted:
    return Counted(p.Marks(answer="abstain"), weight)


def answers(*a: p.Answer, weight: int = 1) -> Counted:
    return Counted(p.Marks(answers=list(a)), weight)


MOTION = p.PollSpec(kind="motion")
SIMPLE = p.Majority()
ABC = options("Alice", "Bob", "Chi")
ABCD = options("Alice", "Bob", "Chi", "Dung")


def single(m: p.Majority = SIMPLE) -> p.PollSpec:
    return p.PollSpec(kind="single", options=ABC, majority=m)


def election(
    seats: int, m: p.Majority = SIMPLE, candidates: list[p.PollOption] = ABCD
) -> p.PollSpec:
    return p.PollSpec(kind="election", options=candidates, max_choices=seats, majority=m)


def per_candidate(seats: int, m: p.Majority = SIMPLE) -> p.PollSpec:
    return p.PollSpec(kind="per_candidate", options=ABC, max_choices=seats, majority=m)


# --------------------------------------------------------------------------- motion


def test_motion_simple_majority_adopted_with_every_figure() -> None:
    # 5 yes, 3 no, 2 abstain: cast 10, abstain 2, valid 8; simple: needed = no + 1 = 4.
    r = count(MOTION, motion_votes(yes=5, no=3, abstain=2), present=10, members=12)
    assert r == p.PollResult(
        cast=10,
        valid=8,
        abstain=2,
        present=10,
        members=12,
        quorum_needed=0,
        quorate=True,
        needed=4,
        totals=[p.OptionTotal(option_id=0, yes=5, no=3, abstain=2)],
        outcome="adopted",
    )


def test_motion_simple_majority_rejected() -> None:
    # 3 yes, 5 no: needed = 5 + 1 = 6 > 3.
    r = count(MOTION, motion_votes(yes=3, no=5), present=8, members=8)
    assert (r.outcome, r.needed) == ("rejected", 6)


def test_motion_tie_is_reported_and_not_adopted() -> None:
    # 4 yes, 4 no, 1 abstain: needed 5, yes == no.
    r = count(MOTION, motion_votes(yes=4, no=4, abstain=1), present=9, members=9)
    assert (r.outcome, r.needed, r.elected, r.adopted) == ("tie", 5, [], [])


def test_motion_all_abstain_adopts_nothing_and_is_no_tie() -> None:
    # 3 abstain: cast 3, valid 0; yes 0 == no 0 but there is no yes; needed never below 1.
    r = count(MOTION, motion_votes(abstain=3), present=3, members=3)
    assert (r.cast, r.valid, r.abstain, r.needed, r.outcome) == (3, 0, 3, 1, "rejected")


def test_all_abstain_under_a_share_of_zero_valid_votes() -> None:
    # Two thirds of valid: 3 abstain, basis 0, ceil(0) = 0, but needed is never below 1.
    spec = p.PollSpec(majority=majority("two_thirds", "valid"))
    r = count(spec, motion_votes(abstain=3), present=3, members=3)
    assert (r.needed, r.outcome) == (1, "rejected")


def test_motion_no_votes_at_all() -> None:
    # Nobody voted: every figure 0, needed 1, rejected.
    r = count(MOTION, [], present=4, members=4)
    assert (r.cast, r.valid, r.needed, r.outcome) == (0, 0, 1, "rejected")
    assert r.totals == [p.OptionTotal(option_id=0)]


def test_absolute_of_cast_without_abstentions() -> None:
    # 5 yes, 4 no, 3 abstain; abstentions do not count: basis = valid = 9, needed 9 // 2 + 1 = 5.
    spec = p.PollSpec(majority=majority("absolute", "cast"))
    r = count(spec, motion_votes(yes=5, no=4, abstain=3), present=12, members=12)
    assert (r.needed, r.outcome) == (5, "adopted")


def test_absolute_of_cast_with_abstentions_counted() -> None:
    # Same votes; abstentions count: basis = cast = 12, needed 12 // 2 + 1 = 7 > 5 yes.
    spec = p.PollSpec(majority=majority("absolute", "cast", abstentions_count=True))
    r = count(spec, motion_votes(yes=5, no=4, abstain=3), present=12, members=12)
    assert (r.needed, r.outcome) == (7, "rejected")


def test_absolute_of_valid_ignores_abstentions_count() -> None:
    # 5 yes, 4 no, 3 abstain; basis valid = 9 whatever abstentions_count says: needed 5.
    spec = p.PollSpec(majority=majority("absolute", "valid", abstentions_count=True))
    r = count(spec, motion_votes(yes=5, no=4, abstain=3), present=12, members=12)
    assert (r.needed, r.outcome) == (5, "adopted")


def test_absolute_of_present() -> None:
    # 20 present, only 12 vote (10 yes, 2 no): needed 20 // 2 + 1 = 11 > 10.
    spec = p.PollSpec(majority=majority("absolute", "present"))
    r = count(spec, motion_votes(yes=10, no=2), present=20, members=30)
    assert (r.needed, r.outcome) == (11, "rejected")


def test_absolute_of_all_members_with_absentees() -> None:
    # 100 members, 60 present: 45 yes, 10 no, 5 abstain; needed 100 // 2 + 1 = 51 > 45.
    spec = p.PollSpec(majority=majority("absolute", "members"))
    r = count(spec, motion_votes(yes=45, no=10, abstain=5), present=60, members=100)
    assert (r.cast, r.valid, r.needed, r.outcome) == (60, 55, 51, "rejected")


def test_two_thirds_reached_exactly() -> None:
    # 6 yes, 3 no: basis 9, needed ceil(18 / 3) = 6.
    spec = p.PollSpec(majority=majority("two_thirds"))
    r = count(spec, motion_votes(yes=6, no=3), present=9, members=9)
    assert (r.needed, r.outcome) == (6, "adopted")


def test_two_thirds_missed_by_rounding_up() -> None:
    # 6 yes, 4 no: basis 10, needed ceil(20 / 3) = 7 > 6.
    spec = p.PollSpec(majority=majority("two_thirds"))
    r = count(spec, motion_votes(yes=6, no=4), present=10, members=10)
    assert (r.needed, r.outcome) == (7, "rejected")


def test_fraction_three_fifths_of_valid() -> None:
    # 6 yes, 4 no, 2 abstain: basis 10, needed ceil(10 * 3 / 5) = 6.
    spec = p.PollSpec(majority=majority("fraction", "valid", numerator=3, denominator=5))
    r = count(spec, motion_votes(yes=6, no=4, abstain=2), present=12, members=12)
    assert (r.needed, r.outcome) == (6, "adopted")
    # 5 yes, 4 no: basis 9, needed ceil(27 / 5) = 6 > 5.
    r = count(spec, motion_votes(yes=5, no=4), present=9, members=9)
    assert (r.needed, r.outcome) == (6, "rejected")


def test_fraction_one_half_adopts_an_even_split() -> None:
    # "At least half": 5 yes, 5 no, basis 10, needed ceil(10 / 2) = 5; no tie outside simple.
    spec = p.PollSpec(majority=majority("fraction", numerator=1, denominator=2))
    r = count(spec, motion_votes(yes=5, no=5), present=10, members=10)
    assert (r.needed, r.outcome) == (5, "adopted")


# --------------------------------------------------------------------------- quorum


def test_quorum_fraction_not_reached_still_reports_totals() -> None:
    # 21 members, quorum 1/2: ceil(21 / 2) = 11; 10 present: not quorate.
    spec = p.PollSpec(quorum=p.Quorum(kind="fraction", numerator=1, denominator=2))
    r = count(spec, motion_votes(yes=8, no=1), present=10, members=21)
    assert r == p.PollResult(
        cast=9,
        valid=9,
        abstain=0,
        present=10,
        members=21,
        quorum_needed=11,
        quorate=False,
        needed=2,
        totals=[p.OptionTotal(option_id=0, yes=8, no=1, abstain=0)],
        outcome="not_quorate",
    )


def test_quorum_fraction_reached() -> None:
    # Same poll, 11 present: quorate, 8 yes > 1 no.
    spec = p.PollSpec(quorum=p.Quorum(kind="fraction", numerator=1, denominator=2))
    r = count(spec, motion_votes(yes=8, no=1), present=11, members=21)
    assert (r.quorum_needed, r.quorate, r.outcome) == (11, True, "adopted")


def test_quorum_count_not_reached_elects_nobody() -> None:
    # Quorum 15 members, 14 present. Alice has 3 votes, Bob 1: she would be elected.
    spec = p.PollSpec(
        kind="election", options=ABCD, max_choices=1, quorum=p.Quorum(kind="count", count=15)
    )
    r = count(spec, [chose(1)] * 3 + [chose(2)], present=14, members=40)
    assert (r.quorum_needed, r.quorate, r.outcome) == (15, False, "not_quorate")
    assert (r.elected, r.tied) == ([], [])
    assert [t.yes for t in r.totals] == [3, 1, 0, 0]


def test_quorum_count_reached() -> None:
    spec = p.PollSpec(quorum=p.Quorum(kind="count", count=15))
    r = count(spec, motion_votes(yes=9, no=6), present=15, members=40)
    assert (r.quorum_needed, r.quorate, r.outcome) == (15, True, "adopted")


def test_not_quorate_clears_the_adopted_candidates() -> None:
    # Each of Alice and Bob has 2 yes, 0 no; quorum 3 of 5, only 2 present.
    spec = p.PollSpec(
        kind="per_candidate",
        options=ABC,
        max_choices=2,
        quorum=p.Quorum(kind="fraction", numerator=3, denominator=5),
    )
    r = count(spec, [answers("yes", "yes", "no")] * 2, present=2, members=5)
    assert (r.quorum_needed, r.outcome) == (3, "not_quorate")
    assert (r.adopted, r.elected, r.tied) == ([], [], [])


# --------------------------------------------------------------------------- weights and proxies


def test_weights_change_the_outcome() -> None:
    # One delegate of weight 10 says yes, three of weight 1 say no: 10 yes > 3 no.
    # Counted one per head it would be 1 yes < 3 no.
    spec = p.PollSpec(weighted=True)
    votes = [answer("yes", 10), answer("no"), answer("no"), answer("no")]
    r = count(spec, votes, present=13, members=13)
    assert (r.cast, r.needed, r.outcome) == (13, 4, "adopted")
    assert r.totals == [p.OptionTotal(option_id=0, yes=10, no=3, abstain=0)]


def test_split_proxy_counts_each_part() -> None:
    # A holder votes yes for herself and splits 100 proxy votes 70 yes / 30 no; 35 others say
    # no. yes 1 + 70 = 71, no 30 + 35 = 65: cast 136, needed 66.
    votes = [answer("yes"), answer("yes", 70), answer("no", 30), *motion_votes(no=35)]
    r = count(MOTION, votes, present=136, members=150)
    assert (r.cast, r.needed, r.outcome) == (136, 66, "adopted")
    assert r.totals == [p.OptionTotal(option_id=0, yes=71, no=65, abstain=0)]


def test_split_proxy_against_a_majority_of_members() -> None:
    # Same votes, absolute majority of 150 members: needed 150 // 2 + 1 = 76 > 71.
    spec = p.PollSpec(majority=majority("absolute", "members"))
    votes = [answer("yes"), answer("yes", 70), answer("no", 30), *motion_votes(no=35)]
    r = count(spec, votes, present=136, members=150)
    assert (r.needed, r.outcome) == (76, "rejected")


def test_weighted_abstention() -> None:
    # A proxy holder abstains with 40 votes: cast 50, abstain 40, valid 10 (6 yes, 4 no).
    votes = [abstained(40), *motion_votes(yes=6, no=4)]
    r = count(MOTION, votes, present=50, members=50)
    assert (r.cast, r.abstain, r.valid, r.outcome) == (50, 40, 10, "adopted")


# --------------------------------------------------------------------------- single choice


def test_single_plurality_elects_the_top_option() -> None:
    # Alice 5, Bob 3, Chi 2: Alice strictly ahead; needed = runner-up 3 + 1 = 4.
    votes = [chose(1)] * 5 + [chose(2)] * 3 + [chose(3)] * 2
    r = count(single(), votes, present=10, members=10)
    assert r == p.PollResult(
        cast=10,
        valid=10,
        abstain=0,
        present=10,
        members=10,
        quorum_needed=0,
        quorate=True,
        needed=4,
        totals=[
            p.OptionTotal(option_id=1, yes=5),
            p.OptionTotal(option_id=2, yes=3),
            p.OptionTotal(option_id=3, yes=2),
        ],
        outcome="elected",
        elected=[1],
    )


def test_single_tie_at_the_top_lists_the_tied_in_option_order() -> None:
    # Alice 1, Bob 4, Chi 4: Bob and Chi tied; needed = runner-up 4 + 1 = 5.
    votes = [chose(3)] * 4 + [chose(1)] + [chose(2)] * 4
    r = count(single(), votes, present=9, members=9)
    assert (r.outcome, r.needed, r.elected, r.tied) == ("tie", 5, [], [2, 3])


def test_single_absolute_not_reached_is_no_result() -> None:
    # Alice 5, Bob 3, Chi 2, 1 abstains: basis = valid 10, needed 6 > 5.
    votes = [chose(1)] * 5 + [chose(2)] * 3 + [chose(3)] * 2 + [abstained()]
    r = count(single(majority("absolute")), votes, present=11, members=11)
    assert (r.abstain, r.valid, r.needed, r.outcome, r.elected) == (1, 10, 6, "no_result", [])


def test_single_absolute_reached() -> None:
    # Alice 6, Bob 3, Chi 1: basis 10, needed 6.
    votes = [chose(1)] * 6 + [chose(2)] * 3 + [chose(3)]
    r = count(single(majority("absolute")), votes, present=10, members=10)
    assert (r.needed, r.outcome, r.elected) == (6, "elected", [1])


def test_single_tie_below_the_majority_is_no_result() -> None:
    # Alice 4, Bob 4, Chi 2: basis 10, needed 6; the tied leaders do not reach it.
    votes = [chose(1)] * 4 + [chose(2)] * 4 + [chose(3)] * 2
    r = count(single(majority("absolute")), votes, present=10, members=10)
    assert (r.needed, r.outcome, r.tied) == (6, "no_result", [])


def test_single_all_abstain() -> None:
    # 4 abstain: every option 0 votes, needed = 0 + 1 = 1, nobody elected, no tie.
    r = count(single(), [abstained()] * 4, present=4, members=4)
    assert (r.abstain, r.valid, r.needed, r.outcome, r.tied) == (4, 0, 1, "no_result", [])


def test_single_weighted() -> None:
    # Bob's one voter weighs 5: Alice 3 x 1 = 3, Bob 5; needed = 3 + 1 = 4.
    votes = [chose(1)] * 3 + [chose(2, weight=5)]
    r = count(single(), votes, present=8, members=8)
    assert (r.needed, r.outcome, r.elected) == (4, "elected", [2])


# --------------------------------------------------------------------------- election


def test_election_fills_the_seats() -> None:
    # 2 seats; ballots {A,B} x3, {A,C} x2: A 5, B 3, C 2, D 0; simple: needed 1.
    votes = [chose(1, 2)] * 3 + [chose(1, 3)] * 2
    r = count(election(2), votes, present=5, members=5)
    assert (r.cast, r.needed, r.outcome, r.elected, r.tied) == (5, 1, "elected", [1, 2], [])
    assert [(t.option_id, t.yes) for t in r.totals] == [(1, 5), (2, 3), (3, 2), (4, 0)]


def test_election_elected_listed_in_option_order() -> None:
    # 2 seats; D 4, B 3, A 1, C 0: D and B elected, listed as [2, 4].
    votes = [chose(4, 2)] * 3 + [chose(4, 1)]
    r = count(election(2), votes, present=4, members=4)
    assert (r.outcome, r.elected) == ("elected", [2, 4])


def test_election_boundary_tie() -> None:
    # 2 seats; {A,B} x3, {A,C} x2, {C} x1: A 5, B 3, C 3, D 0. Seat 2 and 3 both have 3:
    # A (above the boundary) is elected, B and C tie for the last seat.
    votes = [chose(1, 2)] * 3 + [chose(1, 3)] * 2 + [chose(3)]
    r = count(election(2), votes, present=6, members=6)
    assert (r.outcome, r.elected, r.tied) == ("tie", [1], [2, 3])


def test_election_tie_below_the_seats_is_no_tie() -> None:
    # 2 seats; A 5, B 4, C 2, D 2: the equal votes are below the last seat.
    # {A,B} x3, {A,C} x2, {B,D}, {D}: A 3 + 2 = 5, B 3 + 1 = 4, C 2, D 1 + 1 = 2.
    votes = [chose(1, 2)] * 3 + [chose(1, 3)] * 2 + [chose(2, 4), chose(4)]
    r = count(election(2), votes, present=7, members=7)
    assert (r.outcome, r.elected, r.tied) == ("elected", [1, 2], [])


def test_election_fewer_eligible_than_seats() -> None:
    # 3 seats, absolute of valid; {A,B} x4, {A,C} x1, {B} x1, 1 abstains:
    # cast 7, valid 6 ballots, needed 6 // 2 + 1 = 4 (ballots, not the 11 marks).
    # A 5, B 5, C 1, D 0: only A and B are eligible, the third seat stays empty.
    votes = [chose(1, 2)] * 4 + [chose(1, 3), chose(2), abstained()]
    r = count(election(3, majority("absolute")), votes, present=7, members=7)
    assert (r.cast, r.valid, r.needed) == (7, 6, 4)
    assert (r.outcome, r.elected, r.tied) == ("elected", [1, 2], [])


def test_election_abstentions_counted_raise_the_bar() -> None:
    # Same ballots plus 3 more abstentions, absolute of cast with abstentions counted:
    # cast 10, needed 10 // 2 + 1 = 6 > A's 5 and B's 5: nobody elected.
    votes = [chose(1, 2)] * 4 + [chose(1, 3), chose(2)] + [abstained()] * 4
    spec = election(3, majority("absolute", abstentions_count=True))
    r = count(spec, votes, present=10, members=10)
    assert (r.cast, r.needed, r.outcome, r.elected) == (10, 6, "no_result", [])


def test_election_nobody_reaches_the_majority() -> None:
    # 1 seat; A 2, B 2, C 1: basis 5, needed 3; the tie between A and B is below it.
    votes = [chose(1)] * 2 + [chose(2)] * 2 + [chose(3)]
    r = count(election(1, majority("absolute")), votes, present=5, members=5)
    assert (r.needed, r.outcome, r.elected, r.tied) == (3, "no_result", [], [])


def test_election_two_thirds_of_present() -> None:
    # 2 seats, two thirds of 9 present: needed ceil(18 / 3) = 6. A 7, B 6, C 2.
    votes = [chose(1, 2)] * 6 + [chose(1, 3), chose(3)]
    r = count(election(2, majority("two_thirds", "present")), votes, present=9, members=12)
    assert (r.needed, r.outcome, r.elected) == (6, "elected", [1, 2])


def test_election_boundary_tie_of_eligible_candidates() -> None:
    # 1 seat, a third of valid: {A} x5, {B} x5, {C} x3: basis 13, needed ceil(13 / 3) = 5.
    # A 5 and B 5 are both eligible and tie for the seat; C 3 is not eligible.
    spec = majority("fraction", numerator=1, denominator=3)
    votes = [chose(1)] * 5 + [chose(2)] * 5 + [chose(3)] * 3
    r = count(election(1, spec), votes, present=13, members=13)
    assert (r.needed, r.outcome, r.elected, r.tied) == (5, "tie", [], [1, 2])
    # With 2 seats both are elected.
    r = count(election(2, spec), votes, present=13, members=13)
    assert (r.outcome, r.elected, r.tied) == ("elected", [1, 2], [])


# --------------------------------------------------------------------------- per candidate


def test_per_candidate_seats() -> None:
    # 2 seats, simple; ballots (A, B, C): (y, y, n) x3, (y, n, y) x2, (n, y, y) x1, (a, a, a) x1
    # A: 5 yes 1 no 1 abstain; B: 4 / 2 / 1; C: 3 / 3 / 1 (3 is not more than 3).
    # cast 7, abstain 1 (the all-abstain ballot), valid 6. Adopted A, B; both elected.
    votes = (
        [answers("yes", "yes", "no")] * 3
        + [answers("yes", "no", "yes")] * 2
        + [answers("no", "yes", "yes")]
        + [answers("abstain", "abstain", "abstain")]
    )
    r = count(per_candidate(2), votes, present=7, members=7)
    assert r == p.PollResult(
        cast=7,
        valid=6,
        abstain=1,
        present=7,
        members=7,
        quorum_needed=0,
        quorate=True,
        needed=0,
        totals=[
            p.OptionTotal(option_id=1, yes=5, no=1, abstain=1),
            p.OptionTotal(option_id=2, yes=4, no=2, abstain=1),
            p.OptionTotal(option_id=3, yes=3, no=3, abstain=1),
        ],
        outcome="elected",
        elected=[1, 2],
        adopted=[1, 2],
    )


def test_per_candidate_more_adopted_than_seats() -> None:
    # 1 seat, same ballots: A (5 yes) and B (4 yes) adopted, A has more yes: A elected.
    votes = (
        [answers("yes", "yes", "no")] * 3
        + [answers("yes", "no", "yes")] * 2
        + [answers("no", "yes", "yes")]
    )
    r = count(per_candidate(1), votes, present=6, members=6)
    assert (r.outcome, r.adopted, r.elected, r.tied) == ("elected", [1, 2], [1], [])


def test_per_candidate_seat_tie() -> None:
    # 1 seat; (y, y, n) x4, (n, n, y) x2: A 4/2, B 4/2, C 2/4. A and B adopted with 4 yes each.
    votes = [answers("yes", "yes", "no")] * 4 + [answers("no", "no", "yes")] * 2
    r = count(per_candidate(1), votes, present=6, members=6)
    assert (r.outcome, r.adopted, r.elected, r.tied) == ("tie", [1, 2], [], [1, 2])


def test_per_candidate_partial_abstention_is_a_valid_vote() -> None:
    # (y, a, n) x2: cast 2, no vote abstains on every candidate, so abstain 0, valid 2.
    r = count(per_candidate(1), [answers("yes", "abstain", "no")] * 2, present=2, members=2)
    assert (r.cast, r.abstain, r.valid, r.elected) == (2, 0, 2, [1])


def test_per_candidate_own_basis_valid() -> None:
    # Absolute of valid, per candidate; (y, y, y) x2, (y, y, a) x1, (n, a, a) x2:
    # A 3 yes 2 no 0 abstain: basis 5, needed 3, passes; B 3/0/2: basis 3, needed 2, passes;
    # C 2/0/3: basis 2, needed 2, passes. 3 seats: all elected; needed reported 0.
    votes = (
        [answers("yes", "yes", "yes")] * 2
        + [answers("yes", "yes", "abstain")]
        + [answers("no", "abstain", "abstain")] * 2
    )
    r = count(per_candidate(3, majority("absolute", "valid")), votes, present=5, members=5)
    assert (r.needed, r.adopted, r.elected) == (0, [1, 2, 3], [1, 2, 3])


def test_per_candidate_own_basis_cast_with_abstentions() -> None:
    # Same ballots, absolute of cast, abstentions counted: each candidate's basis is 5,
    # needed 3.
    # A 3 yes and B 3 yes pass, C's 2 yes do not.
    votes = (
        [answers("yes", "yes", "yes")] * 2
        + [answers("yes", "yes", "abstain")]
        + [answers("no", "abstain", "abstain")] * 2
    )
    spec = per_candidate(3, majority("absolute", "cast", abstentions_count=True))
    r = count(spec, votes, present=5, members=5)
    assert (r.needed, r.adopted, r.elected, r.outcome) == (0, [1, 2], [1, 2], "elected")


def test_per_candidate_common_basis_members() -> None:
    # Absolute of 10 members: needed 6, reported. 2 seats; (y, y, n) x5, (y, n, n) x1:
    # A 6 yes passes; B 5 yes does not (though 5 > 1 no); C 0.
    votes = [answers("yes", "yes", "no")] * 5 + [answers("yes", "no", "no")]
    r = count(per_candidate(2, majority("absolute", "members")), votes, present=6, members=10)
    assert (r.needed, r.adopted, r.elected, r.outcome) == (6, [1], [1], "elected")


def test_per_candidate_simple_rule_reports_no_common_figure() -> None:
    # Simple rule (basis members is irrelevant to it): needed reported 0.
    # (y, n, a) x3: A 3 yes 0 no passes; B 0/3 fails; C 0/0/3 fails.
    votes = [answers("yes", "no", "abstain")] * 3
    r = count(per_candidate(1, majority("simple", "members")), votes, present=3, members=10)
    assert (r.needed, r.adopted, r.elected) == (0, [1], [1])


def test_per_candidate_all_abstain_on_a_candidate() -> None:
    # Fraction 1/2 of valid; (y, a) x2: Alice 2 yes, basis 2, needed 1, passes;
    # Bob 2 abstain, basis 0, needed still 1, fails.
    spec = p.PollSpec(
        kind="per_candidate",
        options=options("Alice", "Bob"),
        max_choices=2,
        majority=majority("fraction", "valid"),
    )
    r = count(spec, [answers("yes", "abstain")] * 2, present=2, members=2)
    assert (r.adopted, r.elected) == ([1], [1])


def test_per_candidate_nobody_passes() -> None:
    # Simple rule; (n, n, y) x2, (y, n, n) x2: A 2/2, B 0/4, C 2/2: nobody has more yes than no.
    votes = [answers("no", "no", "yes")] * 2 + [answers("yes", "no", "no")] * 2
    r = count(per_candidate(1), votes, present=4, members=4)
    assert (r.outcome, r.adopted, r.elected, r.tied) == ("no_result", [], [], [])


def test_per_candidate_weighted() -> None:
    # 1 seat; a weight-3 ballot (y, n, n) and two weight-1 ballots (n, y, n):
    # A 3 yes 2 no passes, B 2 yes 3 no does not.
    votes = [answers("yes", "no", "no", weight=3)] + [answers("no", "yes", "no")] * 2
    r = count(per_candidate(1), votes, present=5, members=5)
    assert (r.cast, r.adopted, r.elected) == (5, [1], [1])
    assert r.totals[:2] == [
        p.OptionTotal(option_id=1, yes=3, no=2, abstain=0),
        p.OptionTotal(option_id=2, yes=2, no=3, abstain=0),
    ]


# --------------------------------------------------------------------------- check_spec


@pytest.mark.parametrize(
    "spec",
    [
        MOTION,
        single(),
        p.PollSpec(kind="election", options=ABC, min_choices=1, max_choices=3),
        p.PollSpec(kind="per_candidate", options=options("Alice"), max_choices=1),
        p.PollSpec(secret=True),
        p.PollSpec(changeable=True),
        p.PollSpec(quorum=p.Quorum(kind="count", count=1)),
        p.PollSpec(majority=majority("fraction", numerator=2, denominator=2)),
    ],
)
def test_check_spec_accepts(spec: p.PollSpec) -> None:
    check_spec(spec)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            p.PollSpec(
                kind="single",
                options=[p.PollOption(id=1, label="A"), p.PollOption(id=1, label="B")],
            ),
            r"^Two options have the id 1\.$",
        ),
        (
            p.PollSpec(kind="single", options=options("yes", " YES ")),
            r"^Two options are labelled “YES”\.$",
        ),
        (
            p.PollSpec(kind="motion", options=options("A")),
            r"^A motion has no options: it is answered yes, no or abstain\.$",
        ),
        (
            p.PollSpec(kind="single", options=options("A")),
            r"^A single-choice poll needs at least 2 options\.$",
        ),
        (
            p.PollSpec(kind="single", options=ABC, max_choices=2),
            r"^A single-choice poll takes exactly 1 choice, not up to 2\.$",
        ),
        (
            p.PollSpec(kind="election"),
            r"^An election needs at least 1 candidate\.$",
        ),
        (
            p.PollSpec(kind="election", options=ABC, max_choices=0),
            r"^An election must fill at least 1 seat\.$",
        ),
        (
            p.PollSpec(kind="election", options=ABC, max_choices=4),
            r"^An election cannot fill 4 seats with 3 candidates\.$",
        ),
        (
            p.PollSpec(kind="election", options=ABC, min_choices=3, max_choices=2),
            r"^An election cannot ask for at least 3 choices but at most 2\.$",
        ),
        (
            p.PollSpec(kind="per_candidate"),
            r"^A yes/no vote on each candidate needs at least 1 candidate\.$",
        ),
        (
            p.PollSpec(kind="per_candidate", options=options("A"), max_choices=2),
            r"^A yes/no vote on each candidate cannot fill 2 seats with 1 candidate\.$",
        ),
        (
            p.PollSpec(kind="per_candidate", options=ABC, max_choices=0),
            r"^A yes/no vote on each candidate must fill at least 1 seat\.$",
        ),
        (
            p.PollSpec(majority=majority("fraction", numerator=3, denominator=2)),
            r"^A majority of 3/2 is more than all the votes\.$",
        ),
        (
            p.PollSpec(quorum=p.Quorum(kind="fraction", numerator=5, denominator=4)),
            r"^A quorum of 5/4 is more than all the members\.$",
        ),
        (
            p.PollSpec(quorum=p.Quorum(kind="count", count=0)),
            r"^A quorum by number needs at least 1 member\.$",
        ),
        (
            p.PollSpec(secret=True, changeable=True),
            r"^A secret vote cannot be changeable: its ballots carry no names\.$",
        ),
    ],
)
def test_check_spec_refuses(spec: p.PollSpec, message: str) -> None:
    with pytest.raises(PollError, match=message):
        check_spec(spec)


# --------------------------------------------------------------------------- check_marks

ELECTION = p.PollSpec(kind="election", options=ABCD, min_choices=2, max_choices=3)


@pytest.mark.parametrize(
    ("spec", "marks"),
    [
        (MOTION, p.Marks(answer="yes")),
        (MOTION, p.Marks(answer="no")),
        (MOTION, p.Marks(answer="abstain")),
        (single(), p.Marks(chosen=[3])),
        (single(), p.Marks(answer="abstain")),
        (ELECTION, p.Marks(chosen=[4, 1])),
        (ELECTION, p.Marks(chosen=[1, 2, 3])),
        (ELECTION, p.Marks(answer="abstain")),
        (election(2), p.Marks(chosen=[2])),
        (per_candidate(1), p.Marks(answers=["yes", "abstain", "no"])),
    ],
)
def test_check_marks_accepts(spec: p.PollSpec, marks: p.Marks) -> None:
    check_marks(spec, marks)


@pytest.mark.parametrize(
    ("spec", "marks", "message"),
    [
        # motion
        (MOTION, p.Marks(), r"^Answer yes, no or abstain\.$"),
        (
            MOTION,
            p.Marks(answer="yes", chosen=[1]),
            r"^A motion is answered yes, no or abstain; it has no options to choose\.$",
        ),
        (
            MOTION,
            p.Marks(answer="yes", answers=["yes"]),
            r"^A motion is answered yes, no or abstain; it has no options to choose\.$",
        ),
        (
            p.PollSpec(abstain_allowed=False),
            p.Marks(answer="abstain"),
            r"^Abstaining is not allowed in this vote\.$",
        ),
        # single
        (single(), p.Marks(), r"^Choose exactly 1 option\.$"),
        (single(), p.Marks(chosen=[1, 2]), r"^Choose exactly 1 option\.$"),
        (single(), p.Marks(chosen=[9]), r"^This vote has no option 9\.$"),
        (single(), p.Marks(chosen=[2, 2]), r"^Option 2 is chosen twice\.$"),
        (
            single(),
            p.Marks(answer="yes", chosen=[1]),
            r"^Choose options or abstain; yes and no answer a motion\.$",
        ),
        (
            single(),
            p.Marks(answer="abstain", chosen=[1]),
            r"^Either abstain or choose, not both\.$",
        ),
        (
            single(),
            p.Marks(chosen=[1], answers=["yes"]),
            r"^Choose options or abstain; this vote takes no answer per candidate\.$",
        ),
        (
            p.PollSpec(kind="single", options=ABC, abstain_allowed=False),
            p.Marks(answer="abstain"),
            r"^Abstaining is not allowed in this vote\.$",
        ),
        # election (choose 2 to 3 of 4)
        (ELECTION, p.Marks(chosen=[1]), r"^Choose at least 2 candidates\.$"),
        (ELECTION, p.Marks(), r"^Choose at least 2 candidates\.$"),
        (election(2), p.Marks(), r"^Choose at least 1 candidate\.$"),
        (ELECTION, p.Marks(chosen=[1, 2, 3, 4]), r"^Choose at most 3 candidates\.$"),
        (election(1), p.Marks(chosen=[1, 2]), r"^Choose at most 1 candidate\.$"),
        (ELECTION, p.Marks(chosen=[1, 9]), r"^This vote has no option 9\.$"),
        (ELECTION, p.Marks(chosen=[3, 3]), r"^Option 3 is chosen twice\.$"),
        (
            ELECTION,
            p.Marks(answer="no"),
            r"^Choose options or abstain; yes and no answer a motion\.$",
        ),
        (
            p.PollSpec(kind="election", options=ABC, abstain_allowed=False),
            p.Marks(answer="abstain"),
            r"^Abstaining is not allowed in this vote\.$",
        ),
        # per_candidate (3 candidates)
        (
            per_candidate(1),
            p.Marks(answer="yes", answers=["yes", "yes", "yes"]),
            r"^Answer yes, no or abstain for each candidate; nothing else is asked\.$",
        ),
        (
            per_candidate(1),
            p.Marks(chosen=[1], answers=["yes", "yes", "yes"]),
            r"^Answer yes, no or abstain for each candidate; nothing else is asked\.$",
        ),
        (
            per_candidate(1),
            p.Marks(answers=["yes", "no"]),
            r"^Answer each of the 3 candidates: 2 answers given\.$",
        ),
        (
            per_candidate(1),
            p.Marks(answers=["yes", "no", "no", "no"]),
            r"^Answer each of the 3 candidates: 4 answers given\.$",
        ),
        (
            p.PollSpec(kind="per_candidate", options=ABC, abstain_allowed=False),
            p.Marks(answers=["yes", "abstain", "no"]),
            r"^Abstaining is not allowed in this vote\.$",
        ),
    ],
)
def test_check_marks_refuses(spec: p.PollSpec, marks: p.Marks, message: str) -> None:
    with pytest.raises(PollError, match=message):
        check_marks(spec, marks)


# --------------------------------------------------------------------------- count refuses


def test_count_refuses_a_vote_the_poll_does_not_allow() -> None:
    with pytest.raises(PollError, match=r"^This vote has no option 7\.$"):
        count(single(), [chose(1), chose(7)], present=2, members=2)


def test_count_refuses_a_broken_poll() -> None:
    with pytest.raises(PollError, match=r"^A single-choice poll needs at least 2 options\.$"):
        count(p.PollSpec(kind="single", options=options("A")), [], present=0, members=0)


def test_count_refuses_a_weightless_vote() -> None:
    with pytest.raises(PollError, match=r"^A vote weighs at least 1, not 0\.$"):
        count(MOTION, [answer("yes", 0)], present=1, members=1)


def test_count_takes_any_iterable() -> None:
    # A generator of 3 yes votes: counted once, all of them.
    r = count(MOTION, (answer("yes") for _ in range(3)), present=3, members=3)
    assert (r.cast, r.outcome) == (3, "adopted")


def test_who_has_a_vote_voting_right_and_groups() -> None:
    def delegate(right: bool, groups: list[str]) -> p.Delegate:
        return p.Delegate(id=1, number="0001", full_name="An", voting_right=right, groups=groups)

    everyone = p.PollSpec(kind="motion")
    committee = p.PollSpec(kind="motion", groups=["ban-chap-hanh"])
    assert has_vote(delegate(True, []), everyone)
    assert not has_vote(delegate(False, ["ban-chap-hanh"]), everyone)
    assert has_vote(delegate(True, ["ban-chap-hanh", "doan-1"]), committee)
    assert not has_vote(delegate(True, ["doan-1"]), committee)


# --------------------------------------------------------------------------- paper counts


def paper(
    ballots: int, *totals: tuple[int, int, int], abstain: int = 0, invalid: int = 0, ids: int = 1
) -> p.PaperCount:
    """A paper count; ``totals`` as (yes, no, abstain) for options ``ids``, ``ids`` + 1…"""
    return p.PaperCount(
        ballots=ballots,
        abstain=abstain,
        invalid=invalid,
        totals=[
            p.OptionTotal(option_id=i, yes=y, no=n, abstain=a)
            for i, (y, n, a) in enumerate(totals, start=ids)
        ],
    )


def test_paper_ballots_add_to_the_devices_votes_and_invalid_ones_do_not_count() -> None:
    # 6 on devices (4 yes, 2 no); 5 paper ballots: 1 yes, 3 no, 1 abstain; 2 spoiled.
    # Cast 11, abstain 1, valid 10: yes 5, no 5 — a tie under the simple rule.
    result = count(
        MOTION,
        motion_votes(yes=4, no=2),
        present=20,
        members=30,
        paper=paper(5, (1, 3, 1), abstain=1, invalid=2, ids=0),
    )
    assert (result.cast, result.valid, result.abstain) == (11, 10, 1)
    assert result.totals == [p.OptionTotal(option_id=0, yes=5, no=5, abstain=1)]
    assert result.outcome == "tie"


def test_a_poll_run_on_paper_alone_is_decided_by_its_count() -> None:
    # Elect 2 of Alice, Bob, Chi on 10 paper ballots (1 abstaining): 9 valid ballots give
    # 9 to 18 marks; Alice 7, Bob 5, Chi 4 = 16. Absolute majority of valid: 9 // 2 + 1 = 5.
    spec = p.PollSpec(
        kind="election", options=ABC, max_choices=2, majority=majority("absolute", "valid")
    )
    result = count(
        spec,
        [],
        present=12,
        members=12,
        paper=paper(10, (7, 0, 0), (5, 0, 0), (4, 0, 0), abstain=1),
    )
    assert (result.cast, result.valid, result.needed) == (10, 9, 5)
    assert result.elected == [1, 2] and result.outcome == "elected"


@pytest.mark.parametrize(
    ("spec", "count_", "said"),
    [
        # motion: 3 + 1 + 0 is not the 5 ballots
        (MOTION, paper(5, (3, 1, 0), ids=0), "add up to the 5 ballots"),
        # motion: one figure, for option 0, not for 1
        (MOTION, paper(4, (3, 1, 0)), "a figure for each of the 1 option"),
        # abstaining is not allowed
        (
            p.PollSpec(kind="motion", abstain_allowed=False),
            paper(4, (3, 0, 1), abstain=1, ids=0),
            "not allowed",
        ),
        # single: 2 + 2 is not the 5 valid ballots
        (
            p.PollSpec(kind="single", options=options("A", "B")),
            paper(5, (2, 0, 0), (2, 0, 0)),
            "add up to the 5 valid ballots",
        ),
        # election of 2 of 3 on 4 ballots: 4 to 8 marks, not 9
        (
            p.PollSpec(kind="election", options=ABC, max_choices=2),
            paper(4, (4, 0, 0), (4, 0, 0), (1, 0, 0)),
            "give 4 to 8 votes, not 9",
        ),
        # election: Alice cannot have 5 votes on 4 ballots
        (
            p.PollSpec(kind="election", options=ABC, max_choices=2),
            paper(4, (5, 0, 0), (1, 0, 0), (1, 0, 0)),
            "“Alice” cannot have more votes than the 4 valid ballots",
        ),
        # election counts no "no"
        (
            p.PollSpec(kind="election", options=ABC, max_choices=2),
            paper(4, (4, 1, 0), (2, 0, 0), (2, 0, 0)),
            "not yes, no or abstain",
        ),
        # per candidate: Bob's 2 + 1 + 0 is not the 4 ballots
        (
            p.PollSpec(kind="per_candidate", options=ABC, max_choices=2),
            paper(4, (2, 2, 0), (2, 1, 0), (4, 0, 0)),
            "For “Bob”",
        ),
        # more abstaining ballots than ballots
        (MOTION, paper(2, (0, 0, 3), abstain=3, ids=0), "cannot be more than the 2 ballots"),
    ],
)
def test_a_paper_count_that_no_ballots_could_give_is_refused(
    spec: p.PollSpec, count_: p.PaperCount, said: str
) -> None:
    with pytest.raises(PollError, match=said):
        count(spec, [], present=100, members=100, paper=count_)


def test_more_ballots_than_members_present_are_refused() -> None:
    # 3 on devices, 8 on paper (1 of them spoiled), 10 present: 11 ballots from 10 people
    with pytest.raises(PollError, match="3 votes on devices and 8 paper ballots"):
        count(
            MOTION,
            motion_votes(yes=3),
            present=10,
            members=20,
            paper=paper(7, (7, 0, 0), invalid=1, ids=0),
        )
