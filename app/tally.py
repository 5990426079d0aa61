"""The rules of a vote, written once: what a poll may ask, what a vote may say, and how the
votes are counted into a decision.

The server counts a poll when it closes, ``poll verify`` recounts it from the published
ballots, and the delegate's app refuses a vote the server would refuse. All three call this
module, so a count cannot differ between them and a refusal reads the same everywhere. It is
pure arithmetic on the wire types of :mod:`app.protocol`: no I/O, no clock, no floats (every
share is rounded up with integers, so a recount gives the same figure on every machine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from app import protocol as p


class PollError(ValueError):
    """A poll or a vote that breaks the poll's rules; the message is a sentence a secretary or
    a delegate reads as is."""


@dataclass(frozen=True)
class Counted:
    """One vote as counted: its marks and how many votes it weighs (a delegate's weight, or
    the share of a proxy the holder cast this way)."""

    marks: p.Marks
    weight: int = 1


# --------------------------------------------------------------------------- checks


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_options(options: list[p.PollOption]) -> None:
    """Ids and labels are unique: a vote names an option by id, a voter tells them by label."""
    ids: set[int] = set()
    labels: set[str] = set()
    for option in options:
        label = option.label.strip()
        if option.id in ids:
            raise PollError(f"Two options have the id {option.id}.")
        if label.casefold() in labels:
            raise PollError(f"Two options are labelled “{label}”.")
        ids.add(option.id)
        labels.add(label.casefold())


def _check_seats(spec: p.PollSpec, what: str) -> None:
    """An election and a vote on each candidate fill ``max_choices`` seats, so there must be
    at least one candidate and no more seats than candidates."""
    n = len(spec.options)
    if n < 1:
        raise PollError(f"{what} needs at least 1 candidate.")
    if spec.max_choices < 1:
        raise PollError(f"{what} must fill at least 1 seat.")
    if spec.max_choices > n:
        raise PollError(
            f"{what} cannot fill {_plural(spec.max_choices, 'seat')} "
            f"with {_plural(n, 'candidate')}."
        )


def _check_kind(spec: p.PollSpec) -> None:
    """The options and limits each kind of poll needs to be answerable at all."""
    n = len(spec.options)
    if spec.kind == "motion" and n:
        raise PollError("A motion has no options: it is answered yes, no or abstain.")
    if spec.kind == "single":
        if n < 2:
            raise PollError("A single-choice poll needs at least 2 options.")
        if spec.max_choices != 1:
            raise PollError(
                f"A single-choice poll takes exactly 1 choice, not up to {spec.max_choices}."
            )
    if spec.kind == "election":
        _check_seats(spec, "An election")
        if spec.min_choices > spec.max_choices:
            raise PollError(
                f"An election cannot ask for at least {spec.min_choices} choices "
                f"but at most {spec.max_choices}."
            )
    if spec.kind == "per_candidate":
        _check_seats(spec, "A yes/no vote on each candidate")


def check_spec(spec: p.PollSpec) -> None:
    """Refuse a poll that could not be voted or counted as written, before it opens, so a
    secretary fixes it rather than the room discovering it at the count."""
    _check_options(spec.options)
    _check_kind(spec)
    majority, quorum = spec.majority, spec.quorum
    if majority.numerator > majority.denominator:
        raise PollError(
            f"A majority of {majority.numerator}/{majority.denominator} is more than all the votes."
        )
    if quorum.numerator > quorum.denominator:
        raise PollError(
            f"A quorum of {quorum.numerator}/{quorum.denominator} is more than all the members."
        )
    if quorum.kind == "count" and quorum.count < 1:
        raise PollError("A quorum by number needs at least 1 member.")
    if spec.secret and spec.changeable:
        # A changed vote replaces the voter's earlier ballot, which a secret poll cannot find.
        raise PollError("A secret vote cannot be changeable: its ballots carry no names.")


def _check_abstain(spec: p.PollSpec) -> None:
    if not spec.abstain_allowed:
        raise PollError("Abstaining is not allowed in this vote.")


def _check_motion(spec: p.PollSpec, marks: p.Marks) -> None:
    """A motion takes one answer and nothing else."""
    if marks.chosen or marks.answers:
        raise PollError("A motion is answered yes, no or abstain; it has no options to choose.")
    if marks.answer is None:
        raise PollError("Answer yes, no or abstain.")
    if marks.answer == "abstain":
        _check_abstain(spec)


def _check_chosen(spec: p.PollSpec, chosen: list[int]) -> None:
    """Every chosen id is an option of this poll, chosen once."""
    ids = {option.id for option in spec.options}
    seen: set[int] = set()
    for option_id in chosen:
        if option_id not in ids:
            raise PollError(f"This vote has no option {option_id}.")
        if option_id in seen:
            raise PollError(f"Option {option_id} is chosen twice.")
        seen.add(option_id)


def _check_choice(spec: p.PollSpec, marks: p.Marks) -> None:
    """single and election: options chosen within the poll's limits, or an abstention with
    none chosen."""
    if marks.answers:
        raise PollError("Choose options or abstain; this vote takes no answer per candidate.")
    if marks.answer == "abstain":
        if marks.chosen:
            raise PollError("Either abstain or choose, not both.")
        _check_abstain(spec)
        return
    if marks.answer is not None:
        raise PollError("Choose options or abstain; yes and no answer a motion.")
    _check_chosen(spec, marks.chosen)
    n = len(marks.chosen)
    if spec.kind == "single":
        if n != 1:
            raise PollError("Choose exactly 1 option.")
        return
    least = max(1, spec.min_choices)
    if n < least:
        raise PollError(f"Choose at least {_plural(least, 'candidate')}.")
    if n > spec.max_choices:
        raise PollError(f"Choose at most {_plural(spec.max_choices, 'candidate')}.")


def _check_per_candidate(spec: p.PollSpec, marks: p.Marks) -> None:
    """One yes, no or abstain per candidate, in the poll's order, and nothing else."""
    if marks.answer is not None or marks.chosen:
        raise PollError("Answer yes, no or abstain for each candidate; nothing else is asked.")
    n = len(spec.options)
    if len(marks.answers) != n:
        raise PollError(
            f"Answer each of the {_plural(n, 'candidate')}: "
            f"{_plural(len(marks.answers), 'answer')} given."
        )
    if "abstain" in marks.answers:
        _check_abstain(spec)


_CHECK_MARKS: dict[p.PollKind, Callable[[p.PollSpec, p.Marks], None]] = {
    "motion": _check_motion,
    "single": _check_choice,
    "election": _check_choice,
    "per_candidate": _check_per_candidate,
}


def check_marks(spec: p.PollSpec, marks: p.Marks) -> None:
    """Refuse a vote the poll does not allow, when it is cast, so the voter can correct it
    and the count never meets a vote it cannot read. ``spec`` is assumed to pass
    :func:`check_spec`."""
    _CHECK_MARKS[spec.kind](spec, marks)


def has_vote(delegate: p.Delegate, spec: p.PollSpec) -> bool:
    """Whether a delegate is a member with a vote in a poll of ``spec``: a voting right, and in
    one of its groups if it names any (the room asks the same of its database,
    server/domains/polls.py)."""
    return delegate.voting_right and (
        not spec.groups or bool(set(spec.groups) & set(delegate.groups))
    )


# --------------------------------------------------------------------------- count


@dataclass(frozen=True)
class _Turnout:
    """The figures a majority may be a share of (weighted)."""

    cast: int
    valid: int
    present: int
    members: int


@dataclass(frozen=True)
class _Decision:
    """What one kind of poll decides from its votes, before the quorum is applied."""

    needed: int
    totals: list[p.OptionTotal]
    outcome: p.Outcome
    elected: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _quorum_needed(quorum: p.Quorum, members: int) -> int:
    """none: 0; fraction: at least that share of all members, rounded up; count: that number."""
    if quorum.kind == "fraction":
        return _ceil_div(members * quorum.numerator, quorum.denominator)
    if quorum.kind == "count":
        return quorum.count
    return 0


def _basis(majority: p.Majority, turnout: _Turnout) -> int:
    """What the majority is a share of. "cast" includes abstentions only if the rule says
    they count; otherwise it is the valid votes."""
    if majority.basis == "cast":
        return turnout.cast if majority.abstentions_count else turnout.valid
    if majority.basis == "valid":
        return turnout.valid
    if majority.basis == "present":
        return turnout.present
    return turnout.members


def _needed(majority: p.Majority, basis: int, simple: int) -> int:
    """Votes needed to pass or be elected. ``simple`` is the figure of the simple rule, which
    depends on the kind of poll (more yes than no, more than the runner-up, any vote).
    absolute: more than half of ``basis``; two_thirds: at least two thirds; fraction: at
    least numerator / denominator; each rounded up. Never less than 1, so a poll where
    everyone abstains adopts and elects nothing."""
    if majority.rule == "simple":
        needed = simple
    elif majority.rule == "absolute":
        needed = basis // 2 + 1
    elif majority.rule == "two_thirds":
        needed = _ceil_div(2 * basis, 3)
    else:
        needed = _ceil_div(basis * majority.numerator, majority.denominator)
    return max(1, needed)


def _fill_seats(eligible: list[p.OptionTotal], seats: int) -> tuple[list[int], list[int]]:
    """The elected and the tied among ``eligible`` (in option order) by their ``yes`` votes.

    The ``seats`` with the most votes are elected. If the last seat falls inside a group of
    equal votes, only those strictly above that group are elected and the whole group is
    tied (a runoff is between them). Fewer eligible than seats elects them all, leaving
    seats empty. Both lists are in option order."""
    ranked = sorted(eligible, key=lambda t: -t.yes)
    if len(ranked) <= seats:
        return [t.option_id for t in eligible], []
    boundary = ranked[seats - 1].yes
    if ranked[seats].yes != boundary:
        top = {t.option_id for t in ranked[:seats]}
        return [t.option_id for t in eligible if t.option_id in top], []
    elected = [t.option_id for t in eligible if t.yes > boundary]
    tied = [t.option_id for t in eligible if t.yes == boundary]
    return elected, tied


def _seat_outcome(elected: list[int], tied: list[int]) -> p.Outcome:
    if tied:
        return "tie"
    return "elected" if elected else "no_result"


def _answer_total(option_id: int, answers: Iterable[tuple[p.Answer, int]]) -> p.OptionTotal:
    """The weighted yes, no and abstain given to one question (a motion, or one candidate)."""
    weights = {"yes": 0, "no": 0, "abstain": 0}
    for answer, weight in answers:
        weights[answer] += weight
    return p.OptionTotal(
        option_id=option_id, yes=weights["yes"], no=weights["no"], abstain=weights["abstain"]
    )


def _motion_totals(spec: p.PollSpec, votes: list[Counted]) -> list[p.OptionTotal]:
    return [_answer_total(0, ((v.marks.answer, v.weight) for v in votes if v.marks.answer))]


def _choice_totals(spec: p.PollSpec, votes: list[Counted]) -> list[p.OptionTotal]:
    """The weight of the votes choosing each option, in the poll's option order."""
    weights = {option.id: 0 for option in spec.options}
    for vote in votes:
        for option_id in vote.marks.chosen:
            weights[option_id] += vote.weight
    return [p.OptionTotal(option_id=i, yes=w) for i, w in weights.items()]


def _candidate_totals(spec: p.PollSpec, votes: list[Counted]) -> list[p.OptionTotal]:
    """Each candidate's weighted yes, no and abstain, in the poll's option order."""
    return [
        _answer_total(option.id, ((v.marks.answers[i], v.weight) for v in votes))
        for i, option in enumerate(spec.options)
    ]


_TOTALS: dict[p.PollKind, Callable[[p.PollSpec, list[Counted]], list[p.OptionTotal]]] = {
    "motion": _motion_totals,
    "single": _choice_totals,
    "election": _choice_totals,
    "per_candidate": _candidate_totals,
}


def _motion(spec: p.PollSpec, totals: list[p.OptionTotal], turnout: _Turnout) -> _Decision:
    """Adopted if yes reaches ``needed``. Simple rule: needed is no + 1 (yes must exceed no),
    and as many yes as no (some yes) is a tie, which is not adopted."""
    yes, no = totals[0].yes, totals[0].no
    needed = _needed(spec.majority, _basis(spec.majority, turnout), no + 1)
    if yes >= needed:
        outcome: p.Outcome = "adopted"
    elif spec.majority.rule == "simple" and yes == no and yes > 0:
        outcome = "tie"
    else:
        outcome = "rejected"
    return _Decision(needed=needed, totals=totals, outcome=outcome)


def _election(spec: p.PollSpec, totals: list[p.OptionTotal], turnout: _Turnout) -> _Decision:
    """Fill ``max_choices`` seats. A candidate is eligible with at least ``needed`` votes
    (simple rule: any vote; other rules: a share of the ballots, not of the marks on them);
    the eligible with the most votes take the seats (see :func:`_fill_seats`), so fewer than
    ``max_choices`` may be elected. Outcome "elected" if anyone is, "tie" on a tie for the
    last seat, else "no_result"."""
    needed = _needed(spec.majority, _basis(spec.majority, turnout), 1)
    eligible = [t for t in totals if t.yes >= needed]
    elected, tied = _fill_seats(eligible, spec.max_choices)
    return _Decision(
        needed=needed,
        totals=totals,
        outcome=_seat_outcome(elected, tied),
        elected=elected,
        tied=tied,
    )


def _single(spec: p.PollSpec, totals: list[p.OptionTotal], turnout: _Turnout) -> _Decision:
    """An election of one seat: the option with the most votes wins if it reaches the rule's
    share (simple rule: any vote) and is strictly ahead of every other. Leaders tied at or
    above that share are a "tie"; a leader below it is "no_result", tied or not. Under the
    simple rule ``needed`` is reported as the runner-up's votes + 1, what winning took."""
    decision = _election(spec, totals, turnout)
    if spec.majority.rule != "simple":
        return decision
    runner_up = sorted((t.yes for t in decision.totals), reverse=True)[1]
    return replace(decision, needed=runner_up + 1)


def _passes(majority: p.Majority, total: p.OptionTotal, turnout: _Turnout) -> bool:
    """A candidate's own motion: the simple rule wants more yes than no; the others a share
    of that candidate's own yes + no (+ abstain) for the "cast" and "valid" bases, and of
    those present or all members otherwise."""
    own = replace(turnout, cast=total.yes + total.no + total.abstain, valid=total.yes + total.no)
    return total.yes >= _needed(majority, _basis(majority, own), total.no + 1)


def _per_candidate(spec: p.PollSpec, totals: list[p.OptionTotal], turnout: _Turnout) -> _Decision:
    """Each candidate is a yes / no / abstain motion of its own (see :func:`_passes`); the
    candidates that pass are ``adopted``, and the ``max_choices`` of them with the most yes
    take the seats, with the tie rule of an election. ``needed`` is 0 when it differs from
    candidate to candidate (simple rule, "cast" and "valid" bases), else the common figure."""
    majority = spec.majority
    adopted = [t for t in totals if _passes(majority, t, turnout)]
    elected, tied = _fill_seats(adopted, spec.max_choices)
    common = majority.rule != "simple" and majority.basis in ("present", "members")
    return _Decision(
        needed=_needed(majority, _basis(majority, turnout), 0) if common else 0,
        totals=totals,
        outcome=_seat_outcome(elected, tied),
        elected=elected,
        tied=tied,
        adopted=[t.option_id for t in adopted],
    )


_DECIDE: dict[p.PollKind, Callable[[p.PollSpec, list[p.OptionTotal], _Turnout], _Decision]] = {
    "motion": _motion,
    "single": _single,
    "election": _election,
    "per_candidate": _per_candidate,
}


# --------------------------------------------------------------------------- paper


def _check_paper_totals(spec: p.PollSpec, paper: p.PaperCount) -> None:
    """One total per option, in the poll's order (a motion: option 0)."""
    expected = [0] if spec.kind == "motion" else [option.id for option in spec.options]
    if [t.option_id for t in paper.totals] != expected:
        raise PollError(
            f"The paper count needs a figure for each of the {_plural(len(expected), 'option')}, "
            "in the poll's order."
        )


def check_paper(spec: p.PollSpec, paper: p.PaperCount) -> None:
    """Refuse a paper count that no set of paper ballots of this poll could give, so a
    secretary's typing slip is caught before it becomes the room's signed result."""
    _check_paper_totals(spec, paper)
    ballots, abstain = paper.ballots, paper.abstain
    if abstain > ballots:
        raise PollError(
            f"{_plural(abstain, 'abstaining ballot')} cannot be more than the "
            f"{_plural(ballots, 'ballot')} counted."
        )
    if not spec.abstain_allowed and (abstain or any(t.abstain for t in paper.totals)):
        _check_abstain(spec)
    valid = ballots - abstain
    if spec.kind == "motion":
        total = paper.totals[0]
        if total.yes + total.no + total.abstain != ballots or total.abstain != abstain:
            raise PollError(
                f"Yes, no and abstain must add up to the {_plural(ballots, 'ballot')} counted, "
                f"and the abstentions be the {abstain} abstaining."
            )
        return
    if spec.kind == "per_candidate":
        for option, total in zip(spec.options, paper.totals, strict=True):
            if total.yes + total.no + total.abstain != ballots or total.abstain < abstain:
                raise PollError(
                    f"For “{option.label}”, yes, no and abstain must add up to the "
                    f"{_plural(ballots, 'ballot')} counted, with at least the {abstain} "
                    "abstaining."
                )
        return
    if any(t.no or t.abstain for t in paper.totals):
        raise PollError("A choice between options counts votes for each, not yes, no or abstain.")
    chosen = sum(t.yes for t in paper.totals)
    if spec.kind == "single":
        if chosen != valid:
            raise PollError(
                f"The votes for the options must add up to the {_plural(valid, 'valid ballot')}."
            )
        return
    least = max(1, spec.min_choices)
    for option, total in zip(spec.options, paper.totals, strict=True):
        if total.yes > valid:
            raise PollError(
                f"“{option.label}” cannot have more votes than the "
                f"{_plural(valid, 'valid ballot')}."
            )
    if not least * valid <= chosen <= spec.max_choices * valid:
        raise PollError(
            f"{_plural(valid, 'valid ballot')} choosing {least} to {spec.max_choices} "
            f"candidates give {least * valid} to {spec.max_choices * valid} votes, not {chosen}."
        )


def _add(totals: list[p.OptionTotal], more: list[p.OptionTotal]) -> list[p.OptionTotal]:
    return [
        p.OptionTotal(
            option_id=a.option_id, yes=a.yes + b.yes, no=a.no + b.no, abstain=a.abstain + b.abstain
        )
        for a, b in zip(totals, more, strict=True)
    ]


def _abstains(marks: p.Marks) -> bool:
    """A vote that abstains entirely: the answer abstain, or abstain on every candidate."""
    return marks.answer == "abstain" or (
        bool(marks.answers) and all(a == "abstain" for a in marks.answers)
    )


def _check_votes(spec: p.PollSpec, votes: list[Counted]) -> None:
    """A recount must not silently count a vote the poll would have refused."""
    check_spec(spec)
    for vote in votes:
        if vote.weight < 1:
            raise PollError(f"A vote weighs at least 1, not {vote.weight}.")
        check_marks(spec, vote.marks)


def count(
    spec: p.PollSpec,
    votes: Iterable[Counted],
    present: int,
    members: int,
    paper: p.PaperCount | None = None,
) -> p.PollResult:
    """Count a closed poll into the room's result.

    ``present`` and ``members`` are the weighted totals of the delegates with a vote who are
    present, and of all of them. ``cast`` is the weight of all votes, ``abstain`` that of the
    votes abstaining entirely, ``valid`` the rest; the ballots of a ``paper`` count are added
    to them (its invalid ones are not). The poll is quorate if ``present`` reaches the quorum;
    one that is not gets "not_quorate" and elects and adopts nothing, though its totals are
    counted and reported. Raises :class:`PollError` if the poll, a vote or the paper count
    breaks the poll's rules, a vote weighs less than 1, or there are more ballots than members
    present."""
    votes = list(votes)
    _check_votes(spec, votes)
    cast = sum(vote.weight for vote in votes)
    abstain = sum(vote.weight for vote in votes if _abstains(vote.marks))
    totals = _TOTALS[spec.kind](spec, votes)
    if paper is not None:
        check_paper(spec, paper)
        if cast + paper.ballots + paper.invalid > present:
            raise PollError(
                f"{_plural(cast, 'vote')} on devices and "
                f"{_plural(paper.ballots + paper.invalid, 'paper ballot')} are more than the "
                f"{present} members present."
            )
        cast += paper.ballots
        abstain += paper.abstain
        totals = _add(totals, paper.totals)
    turnout = _Turnout(cast=cast, valid=cast - abstain, present=present, members=members)
    decision = _DECIDE[spec.kind](spec, totals, turnout)
    quorum_needed = _quorum_needed(spec.quorum, members)
    quorate = present >= quorum_needed
    if not quorate:
        decision = replace(decision, outcome="not_quorate", elected=[], tied=[], adopted=[])
    return p.PollResult(
        cast=cast,
        valid=turnout.valid,
        abstain=abstain,
        present=present,
        members=members,
        quorum_needed=quorum_needed,
        quorate=quorate,
        needed=decision.needed,
        totals=decision.totals,
        outcome=decision.outcome,
        elected=decision.elected,
        tied=decision.tied,
        adopted=decision.adopted,
    )
