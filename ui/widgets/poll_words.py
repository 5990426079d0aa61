"""How the apps say a poll's rules, its state, a vote and a result, in the reader's language:
one place, so the console's poll list, page and dialogs and the delegate's ballot read alike."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLocale

from app import protocol as p


def _n(value: int) -> str:
    return QLocale().toString(value)


def status_word(status: p.PollStatus) -> str:
    return {
        "draft": QCoreApplication.translate("PollWords", "Draft"),
        "open": QCoreApplication.translate("PollWords", "Open"),
        "closed": QCoreApplication.translate("PollWords", "Closed"),
        "cancelled": QCoreApplication.translate("PollWords", "Cancelled"),
    }[status]


def kind_word(spec: p.PollSpec) -> str:
    if spec.kind == "motion":
        return QCoreApplication.translate("PollWords", "Motion")
    if spec.kind == "single":
        return QCoreApplication.translate("PollWords", "One choice of %1").replace(
            "%1", _n(len(spec.options))
        )
    if spec.kind == "election":
        return (
            QCoreApplication.translate("PollWords", "Election: %1 of %2")
            .replace("%1", _n(spec.max_choices))
            .replace("%2", _n(len(spec.options)))
        )
    return (
        QCoreApplication.translate("PollWords", "Yes or no on each candidate: %1 seats of %2")
        .replace("%1", _n(spec.max_choices))
        .replace("%2", _n(len(spec.options)))
    )


def ballot_word(spec: p.PollSpec) -> str:
    return (
        QCoreApplication.translate("PollWords", "secret")
        if spec.secret
        else QCoreApplication.translate("PollWords", "named")
    )


def majority_words(majority: p.Majority) -> str:
    if majority.rule == "simple":
        return QCoreApplication.translate("PollWords", "simple majority")
    rule = {
        "absolute": QCoreApplication.translate("PollWords", "more than half"),
        "two_thirds": QCoreApplication.translate("PollWords", "two thirds"),
        "fraction": QCoreApplication.translate("PollWords", "at least %1/%2")
        .replace("%1", str(majority.numerator))
        .replace("%2", str(majority.denominator)),
    }[majority.rule]
    basis = {
        "cast": QCoreApplication.translate("PollWords", "of the votes cast")
        if majority.abstentions_count
        else QCoreApplication.translate("PollWords", "of the votes cast, abstentions left out"),
        "valid": QCoreApplication.translate("PollWords", "of the valid votes"),
        "present": QCoreApplication.translate("PollWords", "of the members present"),
        "members": QCoreApplication.translate("PollWords", "of all members"),
    }[majority.basis]
    return f"{rule} {basis}"


def quorum_words(quorum: p.Quorum) -> str:
    if quorum.kind == "none":
        return QCoreApplication.translate("PollWords", "no quorum")
    if quorum.kind == "count":
        return QCoreApplication.translate("PollWords", "quorum: %1 members").replace(
            "%1", _n(quorum.count)
        )
    return (
        QCoreApplication.translate("PollWords", "quorum: %1/%2 of the members")
        .replace("%1", str(quorum.numerator))
        .replace("%2", str(quorum.denominator))
    )


def rules_summary(spec: p.PollSpec) -> str:
    """One line: "Motion · named · more than half of the members present · no quorum"."""
    parts = [kind_word(spec), ballot_word(spec), majority_words(spec.majority)]
    parts.append(quorum_words(spec.quorum))
    if spec.groups:
        parts.append(
            QCoreApplication.translate("PollWords", "groups: %1").replace(
                "%1", ", ".join(spec.groups)
            )
        )
    if spec.weighted:
        parts.append(QCoreApplication.translate("PollWords", "weighted"))
    if spec.changeable:
        parts.append(QCoreApplication.translate("PollWords", "votes may be changed"))
    if not spec.abstain_allowed:
        parts.append(QCoreApplication.translate("PollWords", "no abstaining"))
    if spec.seconds is not None:
        parts.append(
            QCoreApplication.translate("PollWords", "time limit %1").replace(
                "%1", clock(spec.seconds)
            )
        )
    return " · ".join(parts)


def clock(seconds: float) -> str:
    """``2:05`` for 125 s, ``1:02:05`` past an hour."""
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def answer_word(answer: p.Answer) -> str:
    return {
        "yes": QCoreApplication.translate("PollWords", "Yes"),
        "no": QCoreApplication.translate("PollWords", "No"),
        "abstain": QCoreApplication.translate("PollWords", "Abstain"),
    }[answer]


def marks_text(spec: p.PollSpec, marks: p.Marks) -> str:
    """One vote in words: "Yes", "Nguyễn Văn An, Trần Thị Bình", "A: yes · B: no"."""
    labels: Mapping[int, str] = {o.id: o.label for o in spec.options}
    if marks.answers:
        return " · ".join(
            f"{labels.get(o.id, o.id)}: {answer_word(a)}"
            for o, a in zip(spec.options, marks.answers, strict=False)
        )
    if marks.chosen:
        return ", ".join(labels.get(i, f"#{i}") for i in marks.chosen)
    if marks.answer is not None:
        return answer_word(marks.answer)
    return "—"


def outcome_word(outcome: p.Outcome) -> str:
    """The decision in one word or two, for a list of polls."""
    return {
        "adopted": QCoreApplication.translate("PollWords", "adopted"),
        "rejected": QCoreApplication.translate("PollWords", "rejected"),
        "not_quorate": QCoreApplication.translate("PollWords", "not quorate"),
        "elected": QCoreApplication.translate("PollWords", "elected"),
        "tie": QCoreApplication.translate("PollWords", "tie"),
        "no_result": QCoreApplication.translate("PollWords", "no result"),
    }[outcome]


def outcome_text(poll: p.Poll) -> str:
    """The decision in words: "Adopted", "Elected: A, B", "Tie between A and B"…"""
    result = poll.result
    if result is None:
        return ""
    labels = {o.id: o.label for o in poll.spec.options}

    def names(ids: list[int]) -> str:
        return ", ".join(labels.get(i, f"#{i}") for i in ids)

    if result.outcome == "adopted":
        return QCoreApplication.translate("PollWords", "Adopted")
    if result.outcome == "rejected":
        return QCoreApplication.translate("PollWords", "Rejected")
    if result.outcome == "not_quorate":
        return (
            QCoreApplication.translate(
                "PollWords", "Not quorate: %1 present or represented, %2 needed"
            )
            .replace("%1", _n(result.present))
            .replace("%2", _n(result.quorum_needed))
        )
    if result.outcome == "elected":
        return QCoreApplication.translate("PollWords", "Elected: %1").replace(
            "%1", names(result.elected)
        )
    if result.outcome == "tie":
        if not result.tied:  # a motion with as many yes as no
            return QCoreApplication.translate("PollWords", "Tie: as many yes as no, not adopted")
        if result.elected:
            return (
                QCoreApplication.translate("PollWords", "Elected: %1 · tie for the last seat: %2")
                .replace("%1", names(result.elected))
                .replace("%2", names(result.tied))
            )
        return QCoreApplication.translate("PollWords", "Tie between %1").replace(
            "%1", names(result.tied)
        )
    return QCoreApplication.translate("PollWords", "No result: no one reached the votes needed")


def figures_text(poll: p.Poll) -> list[tuple[str, str]]:
    """The result's figures as (name, value) pairs, in the order they are read."""
    result = poll.result
    if result is None:
        return []
    rows = [
        (QCoreApplication.translate("PollWords", "Votes cast"), _n(result.cast)),
        (QCoreApplication.translate("PollWords", "Valid"), _n(result.valid)),
        (QCoreApplication.translate("PollWords", "Abstentions"), _n(result.abstain)),
        (QCoreApplication.translate("PollWords", "Present or represented"), _n(result.present)),
        (QCoreApplication.translate("PollWords", "Members"), _n(result.members)),
    ]
    paper = poll.paper
    if paper is not None:
        # the paper ballots are in the figures above; these say how many, and the spoiled ones
        rows.insert(
            1, (QCoreApplication.translate("PollWords", "Of them on paper"), _n(paper.ballots))
        )
        if paper.invalid:
            rows.insert(
                2,
                (
                    QCoreApplication.translate("PollWords", "Invalid, not counted"),
                    _n(paper.invalid),
                ),
            )
    if poll.spec.quorum.kind != "none":
        rows.append(
            (QCoreApplication.translate("PollWords", "Quorum needed"), _n(result.quorum_needed))
        )
    spec = poll.spec
    # an election by the simple rule asks one vote of a candidate: no figure worth reading
    if result.needed and not (spec.kind == "election" and spec.majority.rule == "simple"):
        rows.append((QCoreApplication.translate("PollWords", "Votes needed"), _n(result.needed)))
    return rows
