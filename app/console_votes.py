"""The console's arithmetic of a meeting's attendance and votes: who is where, who may vote in a
poll now, who has not voted yet, the runoff of a tie, and the secretary's own poll templates.

Qt-free, so it is tested without a screen, and so it states the server's rules once on the
console's side: eligibility here is the rule of ``server/domains/polls.py`` (a voting right, in
the poll's groups, present — or represented by a proxy whose holder is present), applied to
the state the console holds. The room still decides; these figures only let a secretary see
what it will decide before asking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from app import protocol as p
from app import tally
from app.fileio import atomic_write

#: A delegate's place at a meeting: one of the room's attendance statuses, or no entry yet.
Status = Literal["present", "absent", "excused", "not_checked_in"]
STATUSES: tuple[Status, ...] = ("present", "absent", "excused", "not_checked_in")


@dataclass(frozen=True)
class Standing:
    """One delegate at one meeting: attendance, whether a secretary set it, and proxies."""

    delegate: p.Delegate
    status: Status = "not_checked_in"
    #: Set by a secretary rather than by the delegate's own check-in.
    manual: bool = False
    #: The delegate carrying this one's vote (a proxy given), if any.
    gives_to: int | None = None
    #: The delegates whose votes this one carries (proxies held), by id.
    holds: tuple[int, ...] = ()

    @property
    def present(self) -> bool:
        return self.status == "present"


def standings(
    delegates: Iterable[p.Delegate],
    attendance: Mapping[tuple[int, int], p.Attendance],
    proxies: Mapping[tuple[int, int], p.Proxy],
    meeting_id: int,
) -> dict[int, Standing]:
    """Every delegate's standing at ``meeting_id``, by delegate id."""
    gives: dict[int, int] = {}
    holds: dict[int, list[int]] = {}
    for (meeting, giver), proxy in proxies.items():
        if meeting == meeting_id:
            gives[giver] = proxy.holder_id
            holds.setdefault(proxy.holder_id, []).append(giver)
    out: dict[int, Standing] = {}
    for delegate in delegates:
        entry = attendance.get((meeting_id, delegate.id))
        out[delegate.id] = Standing(
            delegate=delegate,
            status=entry.status if entry is not None else "not_checked_in",
            manual=entry.manual if entry is not None else False,
            gives_to=gives.get(delegate.id),
            holds=tuple(sorted(holds.get(delegate.id, ()))),
        )
    return out


def represented(standing: Standing, by_id: Mapping[int, Standing]) -> bool:
    """Not present, but their vote is carried by a proxy holder who is."""
    if standing.present or standing.gives_to is None:
        return False
    holder = by_id.get(standing.gives_to)
    return holder is not None and holder.present


@dataclass(frozen=True)
class Counts:
    """A meeting's attendance in figures: the whole roster by status, and the members with a
    voting right the quorum is counted on."""

    total: int = 0
    present: int = 0
    absent: int = 0
    excused: int = 0
    not_checked_in: int = 0
    #: Delegates with a voting right, present ones, and absent ones represented by a proxy
    #: whose holder is present (they count as present for a quorum).
    members: int = 0
    members_present: int = 0
    members_represented: int = 0
    proxies: int = 0

    def of(self, status: Status) -> int:
        return int(getattr(self, status))


def count(by_id: Mapping[int, Standing]) -> Counts:
    tally_: dict[str, int] = dict.fromkeys(STATUSES, 0)
    members = members_present = members_represented = proxies = 0
    for standing in by_id.values():
        tally_[standing.status] += 1
        proxies += standing.gives_to is not None
        if standing.delegate.voting_right:
            members += 1
            if standing.present:
                members_present += 1
            elif represented(standing, by_id):
                members_represented += 1
    return Counts(
        total=len(by_id),
        present=tally_["present"],
        absent=tally_["absent"],
        excused=tally_["excused"],
        not_checked_in=tally_["not_checked_in"],
        members=members,
        members_present=members_present,
        members_represented=members_represented,
        proxies=proxies,
    )


@dataclass(frozen=True)
class DelegationAttendance:
    delegation: str  # "" for delegates without one
    present: int
    total: int


def delegation_counts(standings_: Iterable[Standing]) -> list[DelegationAttendance]:
    """Present of all, per delegation, in the order each delegation first appears."""
    totals: dict[str, list[int]] = {}
    for standing in standings_:
        counts = totals.setdefault(standing.delegate.delegation, [0, 0])
        counts[0] += standing.present
        counts[1] += 1
    return [DelegationAttendance(name, here, total) for name, (here, total) in totals.items()]


# --------------------------------------------------------------------------- who may vote


def members_of(delegates: Iterable[p.Delegate], spec: p.PollSpec) -> set[int]:
    """The delegates with a vote in a poll: a voting right, and in one of its groups if it
    names any."""
    return {d.id for d in delegates if tally.has_vote(d, spec)}


def eligible(members: Iterable[int], by_id: Mapping[int, Standing]) -> set[int]:
    """Members who may have their vote cast now: present, or represented by a present holder."""
    out: set[int] = set()
    for delegate_id in members:
        standing = by_id.get(delegate_id)
        if standing is not None and (standing.present or represented(standing, by_id)):
            out.add(delegate_id)
    return out


@dataclass(frozen=True)
class PollTurnout:
    voted: int
    eligible: int
    #: Named polls: eligible delegates who have not voted, by id (empty for a secret poll).
    waiting: tuple[int, ...] = ()


def poll_turnout(
    poll: p.Poll,
    delegates: Mapping[int, p.Delegate],
    by_id: Mapping[int, Standing],
    turnout: p.Turnout | None,
) -> PollTurnout:
    """An open poll's turnout as the room counts it (eligible: those who may vote now and
    those who already did). Without the roster on this device, the room's own figures."""
    voted = turnout.voted if turnout is not None else 0
    voters = set(turnout.voters) if turnout is not None else set()
    if not delegates:
        return PollTurnout(voted, turnout.eligible if turnout is not None else 0)
    may = eligible(members_of(delegates.values(), poll.spec), by_id)
    waiting = () if poll.spec.secret else tuple(sorted(may - voters))
    return PollTurnout(voted, len(may | voters), waiting)


# --------------------------------------------------------------------------- runoff


def runoff_spec(poll: p.Poll) -> p.PollSpec | None:
    """The rules of a runoff between the options a closed poll's result left tied: the same
    rules, only the tied options, and the seats still to fill. ``None`` if nothing is tied."""
    result = poll.result
    if result is None or not result.tied:
        return None
    tied = set(result.tied)
    options = [option for option in poll.spec.options if option.id in tied]
    if len(options) < 2:
        return None
    spec = poll.spec
    # those above the tie are elected; the tied share the seats left (fewer than them)
    seats = 1 if spec.kind == "single" else max(1, spec.max_choices - len(result.elected))
    spec = msgspec.structs.replace(
        spec, options=options, max_choices=seats, min_choices=min(spec.min_choices, seats)
    )
    tally.check_spec(spec)
    return spec


# --------------------------------------------------------------------------- templates

#: The console's own poll templates, in its profile folder.
TEMPLATES_FILE = "poll-templates.json"

#: Built-in templates, by key (the console names them in the secretary's language).
APPROVE_AGENDA, ADOPT_RESOLUTION, ELECT_COMMITTEE = (
    "approve_agenda",
    "adopt_resolution",
    "elect_committee",
)

BUILT_IN: dict[str, p.PollSpec] = {
    # a motion carried by more yes than no among the votes cast (abstentions left out)
    APPROVE_AGENDA: p.PollSpec(
        kind="motion", majority=p.Majority(rule="simple", basis="cast", abstentions_count=False)
    ),
    # a motion carried by more than half of the members present
    ADOPT_RESOLUTION: p.PollSpec(
        kind="motion", majority=p.Majority(rule="absolute", basis="present")
    ),
    # a secret election of N seats among M candidates, the most votes elected
    ELECT_COMMITTEE: p.PollSpec(
        kind="election",
        secret=True,
        min_choices=0,
        max_choices=5,
        majority=p.Majority(rule="simple", basis="cast"),
    ),
}

TemplateName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=p.SINGLE_LINE)]


class PollTemplate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """A secretary's own template: a name, and the rules (options included) of the poll."""

    name: TemplateName
    spec: p.PollSpec


class TemplateFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    version: Literal[1] = 1
    templates: list[PollTemplate] = []


class TemplateError(Exception):
    """The templates file cannot be used. ``kind``: ``unreadable`` (the file cannot be read),
    ``damaged`` (it is not a templates file), ``invalid`` (a template's rules break
    app/tally.py's), ``unwritable`` (saving failed); ``detail`` says more, for people."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def load_templates(path: Path) -> list[PollTemplate]:
    """The templates saved in ``path`` (none if there is no file yet)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise TemplateError("unreadable", exc.strerror or str(exc)) from None
    try:
        loaded = msgspec.json.decode(data, type=TemplateFile)
    except msgspec.ValidationError as exc:
        raise TemplateError("damaged", p.explain(exc)) from None
    except msgspec.DecodeError as exc:
        raise TemplateError("damaged", str(exc)) from None
    for template in loaded.templates:
        try:
            check_template(template.spec)
        except tally.PollError as exc:
            raise TemplateError("invalid", f"“{template.name}”: {exc}") from None
    return list(loaded.templates)


def check_template(spec: p.PollSpec) -> None:
    """Refuse rules that cannot work (app/tally.py's sentence). A template may leave the options
    out — an election's candidates are new each time — so rules without them are checked as if
    there were enough options for every seat."""
    if spec.kind != "motion" and not spec.options:
        n = max(2, spec.max_choices, spec.min_choices)
        stand_in = [p.PollOption(id=i, label=str(i)) for i in range(1, n + 1)]
        spec = msgspec.structs.replace(spec, options=stand_in)
    tally.check_spec(spec)


def save_templates(path: Path, templates: list[PollTemplate]) -> None:
    """Write ``templates`` to ``path`` whole, or leave the old file as it was."""
    data = msgspec.json.format(msgspec.json.encode(TemplateFile(templates=templates)), indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        raise TemplateError("unwritable", exc.strerror or str(exc)) from None


def set_aside(path: Path) -> Path:
    """Move a templates file that cannot be read out of the way, keeping it for whoever wants
    to look at it; returns where it went."""
    aside = path.with_name(path.stem + ".unreadable" + path.suffix)
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.stem}.unreadable-{n}{path.suffix}")
    try:
        path.replace(aside)
    except OSError as exc:
        raise TemplateError("unwritable", exc.strerror or str(exc)) from None
    return aside


def with_template(templates: list[PollTemplate], template: PollTemplate) -> list[PollTemplate]:
    """``templates`` with ``template`` added, replacing one of the same name (case-blind)."""
    key = template.name.strip().casefold()
    kept = [t for t in templates if t.name.strip().casefold() != key]
    return [*kept, template]


def spec_problem(spec: p.PollSpec) -> tuple[str, str] | None:
    """What is wrong with ``spec`` and which part of a form it concerns, or ``None``.

    Parts: ``options`` (kind, options, seats), ``majority``, ``quorum``, ``ballot`` (named or
    secret, changeable), ``limits`` (a value out of the protocol's range). The sentence is
    app/tally.py's (or the protocol's): each part is checked with those after it set to what
    cannot fail, so the sentence lands under the field that caused it."""
    try:
        p.check(msgspec.to_builtins(spec), p.PollSpec, "poll")
    except ValueError as exc:
        return "limits", str(exc)
    steps = (
        ("options", replace(_Parts(spec), majority=True, quorum=True, ballot=True)),
        ("majority", replace(_Parts(spec), quorum=True, ballot=True)),
        ("quorum", replace(_Parts(spec), ballot=True)),
        ("ballot", _Parts(spec)),
    )
    for part, parts in steps:
        try:
            tally.check_spec(parts.spec())
        except tally.PollError as exc:
            return part, str(exc)
    return None


@dataclass(frozen=True)
class _Parts:
    """A spec with some of its parts replaced by defaults that always pass."""

    original: p.PollSpec
    majority: bool = False
    quorum: bool = False
    ballot: bool = False

    def spec(self) -> p.PollSpec:
        changes: dict[str, object] = {}
        if self.majority:
            changes["majority"] = p.Majority()
        if self.quorum:
            changes["quorum"] = p.Quorum()
        if self.ballot:
            changes["changeable"] = False
        return msgspec.structs.replace(self.original, **changes)
