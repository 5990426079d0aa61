"""``hemicycle-server poll …``: polls from the command line — prepare, open, close, show, verify.

``add``, ``open`` and ``close`` run the same handlers as the console (server/domains/polls.py)
as units of work of the command line; a running server sends the result to devices from the
log, and closes a poll whose time is up itself. ``verify`` checks a closed poll as anyone
holding its record could: the room's signature over the rules, the result and the ballot list's
hash (and the paper count, if one was entered); that hash against the ballots stored; and a
recount of those ballots and the paper count (app/tally.py) against the result.
"""

from __future__ import annotations

import argparse
from typing import Any

from app import pollrecord, tally
from app import protocol as p
from server.cli import CliError, _open, _perform, _plural, _value
from server.domains import polls
from server.logsetup import escape


def _spec(args: argparse.Namespace) -> p.PollSpec:
    options = [p.PollOption(id=n, label=label) for n, label in enumerate(args.option or [], 1)]
    quorum = p.Quorum()
    if args.quorum:
        if "/" in args.quorum:
            num, _, den = args.quorum.partition("/")
            quorum = p.Quorum(kind="fraction", numerator=int(num), denominator=int(den))
        else:
            quorum = p.Quorum(kind="count", count=int(args.quorum))
    seats = args.seats if args.kind in ("election", "per_candidate") else 1
    return p.PollSpec(
        kind=args.kind,
        secret=args.secret,
        options=options,
        min_choices=0 if args.kind != "single" else 1,
        max_choices=seats,
        majority=p.Majority(rule=args.majority, basis=args.basis),
        quorum=quorum,
        groups=args.group or [],
        weighted=args.weighted,
        seconds=args.seconds,
    )


def cmd_poll_add(args: argparse.Namespace) -> None:
    try:
        spec = _spec(args)
    except (ValueError, TypeError) as exc:
        raise CliError(f"--quorum takes a fraction such as 1/2 or a number: {exc}") from None
    fields: dict[str, Any] = {"meeting_id": args.meeting, "title": args.title, "spec": spec}
    if args.item:
        fields["item_id"] = args.item
    created = _perform(args.dir, polls.handle_create, p.PollCreate, **fields)
    print(f"Poll {created.poll_id} prepared; open it with: poll open {args.dir} {created.poll_id}")


def cmd_poll_open(args: argparse.Namespace) -> None:
    _perform(args.dir, polls.handle_open, p.PollOpen, poll_id=args.poll)
    print(f"Poll {args.poll} is open; ballots reach every eligible delegate now")


def cmd_poll_close(args: argparse.Namespace) -> None:
    _perform(args.dir, polls.handle_close, p.PollClose, poll_id=args.poll)
    cmd_poll_show(args)


def _record(root: str, poll_id: int) -> tuple[p.Poll, list[tally.Counted], bytes, bytes]:
    """The poll, its ballots as counted, their list's hash, and the room's public key."""
    _d, _config, store = _open(root)
    keys = store.keys
    assert keys is not None
    with store.read() as db:
        poll = polls.wire(polls.get(db, poll_id))
        counted, digest = polls.ballots_of(db, poll_id, poll.spec)
    return poll, counted, digest, keys.public


def _describe(poll: p.Poll) -> list[str]:
    lines = [
        f"Poll {poll.id}: {escape(poll.title)} ({poll.spec.kind}, "
        f"{'secret' if poll.spec.secret else 'named'}) — {poll.status}"
    ]
    result = poll.result
    if result is None:
        return lines
    labels = {o.id: escape(o.label) for o in poll.spec.options}
    for total in result.totals:
        name = labels.get(total.option_id, "the motion")
        lines.append(f"  {name}: yes {total.yes}, no {total.no}, abstain {total.abstain}")
    lines.append(
        f"  cast {result.cast}, valid {result.valid}, abstentions {result.abstain}; present "
        f"{result.present} of {result.members}; quorum {result.quorum_needed} "
        f"({'reached' if result.quorate else 'not reached'}); needed {result.needed}"
    )
    outcome = result.outcome.replace("_", " ")
    if result.elected:
        outcome += ": " + ", ".join(labels.get(i, str(i)) for i in result.elected)
    if result.tied:
        outcome += "; tied: " + ", ".join(labels.get(i, str(i)) for i in result.tied)
    if poll.paper is not None:
        lines.append(
            f"  of which on paper: {poll.paper.ballots} ballots, {poll.paper.abstain} abstaining; "
            f"{poll.paper.invalid} invalid, not counted"
        )
    lines.append(f"  outcome: {outcome}")
    lines.append(f"  ballot list SHA-256: {poll.ballots_hash.hex()}")
    return lines


def cmd_poll_show(args: argparse.Namespace) -> None:
    poll = _record(args.dir, args.poll)[0]
    print("\n".join(_describe(poll)))


def cmd_poll_verify(args: argparse.Namespace) -> None:
    poll, counted, digest, room_key = _record(args.dir, args.poll)
    result = poll.result
    if poll.status != "closed" or result is None:
        raise CliError(f"poll {poll.id} is {poll.status}: only a closed poll has a result")
    trouble: list[str] = []
    if not pollrecord.signature_holds(poll, room_key):
        trouble.append("the room's signature does not match the result and its ballot list")
    if digest != poll.ballots_hash:
        trouble.append("the ballots stored are not the list the result was signed with")
    try:
        recount = tally.count(poll.spec, counted, result.present, result.members, poll.paper)
    except tally.PollError as exc:
        trouble.append(f"a stored ballot breaks the poll's rules: {exc}")
    else:
        if recount != result:
            trouble.append("a recount of the stored ballots gives another result")
    if trouble:
        raise CliError(f"poll {poll.id} does not verify: " + "; ".join(trouble))
    paper = "" if poll.paper is None else f" and {_plural(poll.paper.ballots, 'paper ballot')}"
    print(
        f"Poll {poll.id} verifies: signed by this room, {_plural(len(counted), 'ballot')} "
        f"stored as signed, and the recount{paper} gives the result"
    )


def add_commands(sub: Any) -> None:
    poll_id = _value(p.Id, "poll id")
    poll = sub.add_parser("poll", help="votes: prepare, open, close, show, verify").add_subparsers(
        dest="sub", required=True
    )
    s = poll.add_parser("add", help="prepare a poll for a meeting")
    s.add_argument("dir")
    s.add_argument("meeting", type=_value(p.Id, "meeting id"))
    s.add_argument("title")
    s.add_argument("--item", type=_value(p.Id, "item id"))
    s.add_argument(
        "--kind", choices=["motion", "single", "election", "per_candidate"], default="motion"
    )
    s.add_argument("--option", action="append", help="an option or candidate (repeatable)")
    s.add_argument("--seats", type=int, default=1, help="election: candidates to elect")
    s.add_argument("--secret", action="store_true")
    s.add_argument("--majority", choices=["simple", "absolute", "two_thirds"], default="simple")
    s.add_argument("--basis", choices=["cast", "valid", "present", "members"], default="cast")
    s.add_argument("--quorum", help="a share of members (1/2) or a number of them (100)")
    s.add_argument("--group", action="append", help="only members of this group vote")
    s.add_argument("--weighted", action="store_true")
    s.add_argument("--seconds", type=int, help="closes itself after this many seconds")
    s.set_defaults(func=cmd_poll_add)
    for name, func, text in (
        ("open", cmd_poll_open, "open a prepared poll"),
        ("close", cmd_poll_close, "close a poll and print its result"),
        ("show", cmd_poll_show, "print a poll and its result"),
        ("verify", cmd_poll_verify, "check a result's signature, ballot list and count"),
    ):
        s = poll.add_parser(name, help=text)
        s.add_argument("dir")
        s.add_argument("poll", type=poll_id)
        s.set_defaults(func=func)
