"""Errors in words a delegate understands, in their language.

The Qt-free core raises errors with machine codes (``p.ErrorCode``, ``"unreachable"`` …) and
English messages meant for logs. This module is the one place that turns them into sentences
saying what went wrong and what to do, through Qt's translation system. The raw message is
appended only where it carries detail a technician needs (an unexpected server error).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP as _QT_TRANSLATE_NOOP
from PySide6.QtCore import QCoreApplication

from app import protocol as p
from app import vault
from app.codes import CodeError
from app.connection import VersionRefused

CTX = "Errors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate scans for
    """Mark ``text`` for extraction; typed as ``str`` (PySide's stub says ``object``)."""
    return str(_QT_TRANSLATE_NOOP(context, text))


_CODE_MESSAGES: dict[str, str] = {
    "too_short": QT_TRANSLATE_NOOP("Errors", "The code is too short: a symbol group is missing."),
    "check_failed": QT_TRANSLATE_NOOP(
        "Errors", "The code does not check out: a symbol is mistyped or missing."
    ),
    "not_a_code": QT_TRANSLATE_NOOP("Errors", "This is not a Hemicycle enrollment code."),
    "wrong_length": QT_TRANSLATE_NOOP(
        "Errors", "The code has the wrong length: a symbol group is missing or repeated."
    ),
    "version": QT_TRANSLATE_NOOP(
        "Errors", "This code was made for a newer version of Hemicycle. Update this app."
    ),
}


def describe_code_error(error: CodeError) -> str:
    """A typed enrollment code failed to parse: say what to fix, by the error's ``kind``."""
    if error.kind == "bad_character":
        return QCoreApplication.translate(
            "Errors", "“%1” cannot appear in a code. Codes use digits and the letters A–Z."
        ).replace("%1", error.detail)
    known = _CODE_MESSAGES.get(error.kind)
    if known is not None:
        return QCoreApplication.translate(CTX, known)
    return QCoreApplication.translate("Errors", "This code is not valid: %1").replace(
        "%1", str(error)
    )


def empty_code() -> str:
    return QCoreApplication.translate("Errors", "Type the code first.")


def describe_picture_error(kind: str) -> str:
    """A picture chosen to read the enrollment QR code from (``qrimage.PictureError.kind``)."""
    if kind == "no_code":
        return QCoreApplication.translate(
            "Errors",
            "No QR code was found in this picture. Take the photo again, closer and sharp, "
            "with the whole QR code of your card in it.",
        )
    if kind == "other_code":
        return QCoreApplication.translate(
            "Errors",
            "The QR code in this picture is not a Hemicycle enrollment code. Use the QR code "
            "printed on your card.",
        )
    if kind == "several_codes":
        return QCoreApplication.translate(
            "Errors",
            "This picture shows several enrollment codes. Take a photo of your own card only.",
        )
    return QCoreApplication.translate(
        "Errors", "This file cannot be read as a picture. Choose a photo or a PNG picture."
    )


def code_for_other_room() -> str:
    return QCoreApplication.translate(
        "Errors",
        "This code belongs to a different room than the one you chose. "
        "Check the room, or the code on your card.",
    )


def describe_enroll_error(code: str, message: str) -> str:
    """An ``app.enroll.EnrollError``: what happened, and what the delegate should do."""
    if code == "invalid_code":
        return QCoreApplication.translate(
            "Errors",
            "The room did not accept this code: it is unknown or has already been used. "
            "Check it against your card, or ask the secretariat for a new one.",
        )
    if code == "unreachable":
        return QCoreApplication.translate(
            "Errors",
            "The room server could not be reached. Check that this device is connected to "
            "the hall's network (Wi-Fi), then try again.",
        )
    if code == "wrong_room":
        return QCoreApplication.translate(
            "Errors",
            "The server that answered is not the room your code belongs to: its security "
            "certificate does not match. Do not continue; tell the secretariat.",
        )
    if code == "bad_pin":
        return pin_rule()
    if code == "unsupported_version":
        return describe_version_refusal(message)
    if code == "forbidden":
        return QCoreApplication.translate(
            "Errors", "The room refused this enrollment. Ask the secretariat."
        )
    return QCoreApplication.translate(
        "Errors", "Enrollment failed (%1). Try again, or ask the technical staff."
    ).replace("%1", message or code)


def describe_request_error(exc: BaseException) -> str:
    """A refused or failed request (``RequestError``, ``NotConnected``, ``TimeoutError``)."""
    name = type(exc).__name__
    if name == "NotConnected":
        return QCoreApplication.translate(
            "Errors",
            "Not connected to the room server, so nothing was changed. "
            "Try again when the indicator shows Online.",
        )
    if isinstance(exc, TimeoutError):
        return QCoreApplication.translate(
            "Errors",
            "The room server did not answer in time. The change may not have been made; "
            "check the agenda and try again.",
        )
    code = str(getattr(exc, "code", ""))
    message = str(getattr(exc, "message", "") or exc)
    if code == "forbidden":
        return QCoreApplication.translate(
            "Errors",
            "This device is not allowed to do that. Only secretaries can change the agenda.",
        )
    if code == "not_found":
        return QCoreApplication.translate(
            "Errors", "That no longer exists: someone else may have just removed it."
        )
    if code == "invalid_argument":
        return QCoreApplication.translate(
            "Errors", "The room server refused the values: %1"
        ).replace("%1", message)
    if code == "conflict":
        return QCoreApplication.translate(
            "Errors", "That conflicts with a change made at the same time: %1"
        ).replace("%1", message)
    if code == "not_eligible":
        return QCoreApplication.translate(
            "Errors",
            "The room did not record this vote: it may not be cast from here now (not checked "
            "in, no voting right in this poll, or no proxy held). Ask the secretariat.",
        )
    if code == "poll_not_open":
        return QCoreApplication.translate(
            "Errors",
            "This poll is not open (it has closed, or not opened yet): nothing was recorded.",
        )
    if code in ("not_authenticated", "device_revoked", "unknown_device"):
        return QCoreApplication.translate(
            "Errors", "This device is no longer accepted by the room. Ask the secretariat."
        )
    return QCoreApplication.translate("Errors", "The request failed: %1").replace(
        "%1", message or name
    )


def describe_vote_error(exc: BaseException) -> str:
    """A ballot the room did not record: why, and that nothing of it counts."""
    if str(getattr(exc, "code", "")) == "conflict":
        return QCoreApplication.translate(
            "Errors",
            "A vote is already recorded for you in this poll (from another device of yours, or "
            "by the secretariat): this one was not counted.",
        )
    return describe_request_error(exc)


def describe_annotation_error(exc: BaseException) -> str:
    """Bringing annotations to another device failed: what to do."""
    kind = getattr(exc, "kind", "")
    if kind == "none_waiting":
        return QCoreApplication.translate(
            "Errors",
            "No other device of yours is waiting for your annotations. Enroll it and let it "
            "connect to the room first, then try again.",
        )
    if kind == "no_key":
        return QCoreApplication.translate(
            "Errors", "This device does not hold your annotations yet: try when it is connected."
        )
    return describe_request_error(exc)


def describe_manual_vote_error(exc: BaseException) -> str:
    """A vote a secretary recorded for a delegate (``ballot.cast`` from the console) that the
    room did not record: why, and that nothing of it counts."""
    code = str(getattr(exc, "code", ""))
    if code == "conflict":
        return QCoreApplication.translate(
            "Errors",
            "A vote is already recorded for this delegate in this poll: this one was not counted.",
        )
    if code == "not_eligible":
        return QCoreApplication.translate(
            "Errors",
            "The room did not record this vote: this delegate has no vote in this poll (no "
            "voting right, or not in its groups).",
        )
    return describe_request_error(exc)


_TEMPLATE_MESSAGES = {
    "unreadable": QT_TRANSLATE_NOOP(
        "Errors",
        "Your saved poll templates could not be read (%1): only the built-in ones are offered.",
    ),
    "damaged": QT_TRANSLATE_NOOP(
        "Errors",
        "Your saved poll templates are damaged (%1): only the built-in ones are offered. Saving "
        "a template starts a new file; the damaged one is kept beside it.",
    ),
    "invalid": QT_TRANSLATE_NOOP(
        "Errors",
        "A saved poll template breaks the voting rules (%1): only the built-in ones are "
        "offered. Saving a template starts a new file; the old one is kept beside it.",
    ),
    "unwritable": QT_TRANSLATE_NOOP(
        "Errors", "The template could not be saved (%1). The poll itself is not affected."
    ),
    "invalid_rules": QT_TRANSLATE_NOOP("Errors", "These rules cannot be saved as a template: %1"),
}


def describe_template_error(exc: BaseException) -> str:
    """The console's poll templates file (``app.console_votes.TemplateError``)."""
    known = _TEMPLATE_MESSAGES.get(str(getattr(exc, "kind", "")))
    detail = str(getattr(exc, "detail", "") or exc)
    if known is not None:
        return QCoreApplication.translate(CTX, known).replace("%1", detail)
    return QCoreApplication.translate("Errors", "The poll templates could not be used: %1").replace(
        "%1", detail
    )


def console_offline() -> str:
    """Why the console's buttons that send a change are disabled: the room is out of reach."""
    return QCoreApplication.translate(
        "Errors",
        "Not connected to the room server: changes cannot be sent. The buttons come back as "
        "soon as the indicator shows Online.",
    )


def presence_not_live() -> str:
    """Why the console's list of delegates may be out of date: the room is out of reach."""
    return QCoreApplication.translate(
        "Errors",
        "Not connected to the room server: who is connected is not known now. The list shows "
        "the connections last known.",
    )


def describe_version_refusal(message: str) -> str:
    """The room speaks none of this app's protocol versions (``unsupported_version``; its
    ``message`` names what it speaks and its version, read by ``app.connection``): which of
    the two is behind, and the version to install."""
    refusal = VersionRefused(message)
    room_protocol = str(max(refusal.room_protocols, default=0))
    if not refusal.app_too_old:
        older = QCoreApplication.translate(
            "Errors", "The room server is older than this app: it speaks protocol %1, this app %2."
        )
        if refusal.room_version is None:
            advice = QCoreApplication.translate(
                "Errors", "Ask the technical staff to update the room server."
            )
        else:
            advice = QCoreApplication.translate(
                "Errors",
                "Ask the technical staff to update the room server, or to install version %1 "
                "of the app.",
            ).replace("%1", refusal.room_version)
        return (
            older.replace("%1", room_protocol).replace("%2", str(max(p.SUPPORTED_VERSIONS)))
            + " "
            + advice
        )
    if refusal.room_version is None:  # a room too old to say its version
        return QCoreApplication.translate(
            "Errors",
            "This app is too old for the room: please install the version the room server "
            "runs. Ask the technical staff.",
        )
    return (
        QCoreApplication.translate(
            "Errors",
            "This app is too old for the room: please install version %1 (protocol %2). "
            "Ask the technical staff.",
        )
        .replace("%1", refusal.room_version)
        .replace("%2", room_protocol)
    )


def describe_fatal(code: str, message: str) -> str:
    """The room refused this device for good (``on_fatal``)."""
    if code == "unsupported_version":
        return describe_version_refusal(message)
    if code in ("device_revoked", "unknown_device"):
        return QCoreApplication.translate(
            "Errors",
            "This device has been removed from the room and cannot connect any more. "
            "The agenda shown is the last one received. Ask the secretariat.",
        )
    return QCoreApplication.translate(
        "Errors", "The connection to the room stopped because of an error: %1"
    ).replace("%1", message or code)


def describe_deployment_error(exc: BaseException) -> str:
    """The tablet's deployment file (``app.deployment.DeploymentError``) cannot be used: the
    app started without it. Said on the first screen, for whoever prepares the tablet; the
    setting at fault and what is wrong with it are kept as the file names them."""
    path = str(getattr(exc, "path", ""))
    if getattr(exc, "kind", "") == "missing":
        return QCoreApplication.translate(
            "Errors",
            "The deployment file %1 was not found, so this tablet started without its "
            "preparation. Tell the technical staff.",
        ).replace("%1", path)
    key = str(getattr(exc, "key", ""))
    detail = str(getattr(exc, "detail", "") or exc)
    return (
        QCoreApplication.translate(
            "Errors",
            "The deployment file %1 cannot be used (%2), so this tablet started without its "
            "preparation. Tell the technical staff.",
        )
        .replace("%1", path)
        .replace("%2", f"{key}: {detail}" if key else detail)
    )


def pin_rule() -> str:
    """A chosen PIN that ``app.vault.check_pin`` refuses: the rule, with the vault's numbers."""
    return (
        QCoreApplication.translate("Errors", "The PIN must have %1 to %2 digits.")
        .replace("%1", str(vault.MIN_PIN_LENGTH))
        .replace("%2", str(vault.MAX_PIN_LENGTH))
    )


def describe_unlock_error(kind: str, message: str = "") -> str:
    if kind == "wrong_pin":
        return QCoreApplication.translate("Errors", "Wrong PIN. Try again.")
    if kind == "locked":
        return QCoreApplication.translate(
            "Errors", "Too many wrong PINs. Wait %1 seconds, then try again."
        ).replace("%1", message)
    return QCoreApplication.translate(
        "Errors",
        "The keys on this device are missing or damaged (%1). "
        "This device must be enrolled again: ask the secretariat.",
    ).replace("%1", message)


_OPEN_MESSAGES: dict[str, str] = {
    "missing": QT_TRANSLATE_NOOP(
        "Errors",
        "This document is not completely on this device yet. It finishes downloading as soon "
        "as the room's network is reachable.",
    ),
    "no_key": QT_TRANSLATE_NOOP(
        "Errors",
        "This device has not received the key to this document yet. Connect to the room's "
        "network once; then it opens without it.",
    ),
    "wiped": QT_TRANSLATE_NOOP(
        "Errors",
        "This document is no longer available: it was withdrawn, or its meeting was closed "
        "and its documents deleted.",
    ),
    "expired": QT_TRANSLATE_NOOP(
        "Errors",
        "This device has been away from the room for too long to open this meeting's "
        "documents. Connect to the room's network to open them again.",
    ),
    "damaged": QT_TRANSLATE_NOOP(
        "Errors",
        "The copy of this document on this device is damaged. It is downloaded again when the "
        "room's network is reachable.",
    ),
}


def describe_open_error(exc: BaseException) -> str:
    """A document that cannot be opened now (``app.docstore.CannotOpen``, by its reason)."""
    known = _OPEN_MESSAGES.get(str(getattr(exc, "reason", "")))
    if known is not None:
        return QCoreApplication.translate(CTX, known)
    return QCoreApplication.translate("Errors", "The document could not be opened: %1").replace(
        "%1", str(exc) or type(exc).__name__
    )


_IMPORT_MESSAGES = {
    "not_bundle": QT_TRANSLATE_NOOP(
        "Errors", "%1 is not a file of documents for Hemicycle (a bundle made by the room)."
    ),
    "damaged": QT_TRANSLATE_NOOP(
        "Errors",
        "%1 is incomplete or damaged: nothing that did not match was kept. Copy the file "
        "again, or let the documents download from the room.",
    ),
    "other_room": QT_TRANSLATE_NOOP(
        "Errors", "%1 holds the documents of another room: nothing was imported."
    ),
    "not_enrolled": QT_TRANSLATE_NOOP(
        "Errors", "This device is not enrolled in a room yet: enroll it, then import %1."
    ),
}


def describe_import_error(name: str, exc: BaseException) -> str:
    """A bundle of documents (``app.bundle``) that could not be imported from file ``name``."""
    known = _IMPORT_MESSAGES.get(str(getattr(exc, "reason", "")))
    if known is not None:
        return QCoreApplication.translate(CTX, known).replace("%1", name)
    if isinstance(exc, OSError):
        return (
            QCoreApplication.translate(CTX, "%1 could not be read: %2")
            .replace("%1", name)
            .replace("%2", exc.strerror or str(exc))
        )
    return (
        QCoreApplication.translate(CTX, "%1 could not be imported: %2")
        .replace("%1", name)
        .replace("%2", str(exc) or type(exc).__name__)
    )


_REMOVED = {
    "javascript": QT_TRANSLATE_NOOP("Errors", "%n script(s)"),
    "web_link": QT_TRANSLATE_NOOP("Errors", "%n web link(s)"),
    "remote_link": QT_TRANSLATE_NOOP("Errors", "%n link(s) to other files"),
    "launch": QT_TRANSLATE_NOOP("Errors", "%n command(s) that start programs"),
    "embedded_file": QT_TRANSLATE_NOOP("Errors", "%n attached file(s)"),
    "form_action": QT_TRANSLATE_NOOP("Errors", "%n form action(s)"),
    "xfa": QT_TRANSLATE_NOOP("Errors", "%n XFA form(s)"),
    "media": QT_TRANSLATE_NOOP("Errors", "%n sound or video item(s)"),
    "automatic_action": QT_TRANSLATE_NOOP("Errors", "%n automatic action(s)"),
    "other_action": QT_TRANSLATE_NOOP("Errors", "%n other action(s)"),
}


def describe_removed(kind: str, count: int) -> str:
    """Active content the room took out of an uploaded PDF (``p.Removed``), e.g. "3 scripts"."""
    text = _REMOVED.get(kind, _REMOVED["other_action"])
    return QCoreApplication.translate(CTX, text, "", count)
