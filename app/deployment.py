"""A prepared tablet's deployment file: what IT sets once, in the image every tablet is copied
from, so that a delegate who switches a tablet on for the first time finds it ready.

``deployment.toml`` says which room the tablet is for (address, port and the room ID, which the
tablet then pins: enrollment refuses any other room), the language of the screens and whether
delegates may change it, and whether the app runs as a kiosk — full screen, not to be closed or
left — with the secretariat's exit PIN. It is declared once, in the structs below (as the
server's ``config.toml`` is in server/config.py), and checked against them with an error that
names the setting. The app reads it at every start: the room only matters at the first (no
profile yet), the language and the kiosk every time, so IT can change them in the image.

Where it is looked for, first found wins (:func:`locate`):

1. ``hemicycle --deployment FILE``;
2. the file named by ``$HEMICYCLE_DEPLOYMENT`` (imaging scripts, tests);
3. beside the executable of a packaged (frozen) build, ``deployment.toml``;
4. the machine-wide place: ``/etc/hemicycle/deployment.toml`` (Linux),
   ``%ProgramData%\\Hemicycle\\deployment.toml`` (Windows),
   ``/Library/Application Support/Hemicycle/deployment.toml`` (macOS).

A file named by 1 or 2 must exist; 3 and 4 are optional. A file that cannot be used raises
:class:`DeploymentError`: the app says so on screen and starts without it.

The exit PIN is never in the file: only its scrypt hash (:func:`hash_exit_pin`, which
``hemicycle --hash-exit-pin`` prints), so reading the image does not give it away.
"""

from __future__ import annotations

import base64
import getpass
import hmac
import ipaddress
import os
import re
import sys
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Annotated

import msgspec
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from msgspec import UNSET, UnsetType

from app import protocol as p
from app.codes import CodeError, parse_room_id
from app.vault import PRODUCTION_COST, ScryptCost

FILE_NAME = "deployment.toml"
ENVIRONMENT = "HEMICYCLE_DEPLOYMENT"

#: The exit PIN's length: typed by a secretary now and then, so it can be long, and its hash is
#: readable by whoever holds the image, so it must be (docs/security.md, kiosk).
EXIT_PIN_MIN = 8
EXIT_PIN_MAX = 16
_SALT_BYTES = 16
_SCHEME = "scrypt"

Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
#: An IP address or a host name, as typed on the enrollment screen.
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$")


class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    pass


class RoomSection(_Section, frozen=True):
    """The room the tablet is prepared for; the enrollment screen starts with it filled in."""

    address: str = ""
    #: Absent: the port in the delegate's enrollment code.
    port: Port | UnsetType = UNSET
    #: The full room ID, as ``hemicycle-server room-id DIR`` prints it (or 64 hex digits).
    id: str = ""


class LanguageSection(_Section, frozen=True):
    """The language of the screens, and whether the delegate's language switch is shown."""

    #: The language of the screens ("en", "vi"); empty: the remembered choice or the system's.
    default: str = ""
    delegates_may_change: bool = True


class KioskSection(_Section, frozen=True):
    """Full screen, no window frame, not to be closed or left but by the secretariat."""

    enabled: bool = False
    #: The scrypt hash of the secretariat's exit PIN, as ``hemicycle --hash-exit-pin`` prints it.
    exit_pin: str = ""


class Deployment(_Section, frozen=True):
    room: RoomSection = msgspec.field(default_factory=RoomSection)
    language: LanguageSection = msgspec.field(default_factory=LanguageSection)
    kiosk: KioskSection = msgspec.field(default_factory=KioskSection)

    @property
    def room_port(self) -> int | None:
        """The room's port, ``None`` for the one in the enrollment code."""
        return None if isinstance(self.room.port, UnsetType) else self.room.port

    @property
    def room_id(self) -> bytes | None:
        """The room this tablet pins, if the file names one (checked by :func:`load`)."""
        return parse_room_id(self.room.id) if self.room.id else None

    @property
    def language_locked(self) -> bool:
        """Whether the screens stay in the file's language, with no switch to change it."""
        return bool(self.language.default) and not self.language.delegates_may_change

    @property
    def exit_pin(self) -> ExitPin | None:
        return ExitPin.parse(self.kiosk.exit_pin) if self.kiosk.exit_pin else None


class DeploymentError(Exception):
    """The deployment file cannot be used. ``kind`` is for the apps to say it in words
    (``missing``, ``unreadable``, ``syntax``, ``invalid``); ``key`` the setting at fault
    (``[room] port``), if one is; the message is the whole story for the log."""

    def __init__(self, path: Path, kind: str, detail: str, key: str = "") -> None:
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + detail)
        self.path = path
        self.kind = kind
        self.key = key
        self.detail = detail


# --------------------------------------------------------------------------- the exit PIN


class ExitPin:
    """A stored exit PIN: ``scrypt$LOG2N$R$P$SALT$HASH`` (salt and hash in base64).

    The cost is read from the text and checked by :class:`~app.vault.ScryptCost`, so a doctored
    file cannot make the tablet spend gigabytes on a check.
    """

    def __init__(self, cost: ScryptCost, salt: bytes, digest: bytes) -> None:
        self.cost, self.salt, self.digest = cost, salt, digest

    @classmethod
    def parse(cls, text: str) -> ExitPin:
        """Raises ValueError saying what is wrong."""
        parts = text.split("$")
        if len(parts) != 6 or parts[0] != _SCHEME:
            raise ValueError("not an exit PIN hash: make one with 'hemicycle --hash-exit-pin'")
        try:
            cost = ScryptCost(int(parts[1]), int(parts[2]), int(parts[3]))
            salt = base64.b64decode(parts[4], validate=True)
            digest = base64.b64decode(parts[5], validate=True)
        except ValueError as exc:  # int(), the cost's bounds, base64
            raise ValueError(f"a damaged exit PIN hash ({exc})") from None
        if len(salt) != _SALT_BYTES or len(digest) != 32:
            raise ValueError("a damaged exit PIN hash (salt or hash of the wrong size)")
        return cls(cost, salt, digest)

    def matches(self, pin: str) -> bool:
        """Whether ``pin`` is the exit PIN (deliberately slow: scrypt)."""
        return hmac.compare_digest(_derive(pin, self.salt, self.cost), self.digest)


def check_exit_pin(pin: str) -> None:
    """Raise ValueError unless ``pin`` can be an exit PIN: digits, typed on the PIN pad."""
    if not (pin.isascii() and pin.isdigit()):
        raise ValueError("the exit PIN must contain digits only")
    if not EXIT_PIN_MIN <= len(pin) <= EXIT_PIN_MAX:
        raise ValueError(f"the exit PIN must have {EXIT_PIN_MIN} to {EXIT_PIN_MAX} digits")


def hash_exit_pin(pin: str, cost: ScryptCost = PRODUCTION_COST) -> str:
    """The text for ``[kiosk] exit_pin``: a fresh salt and the scrypt hash of ``pin``."""
    check_exit_pin(pin)
    salt = os.urandom(_SALT_BYTES)
    digest = _derive(pin, salt, cost)
    b64 = base64.b64encode
    return "$".join(
        [
            _SCHEME,
            str(cost.log2_n),
            str(cost.r),
            str(cost.p),
            b64(salt).decode(),
            b64(digest).decode(),
        ]
    )


def _derive(pin: str, salt: bytes, cost: ScryptCost) -> bytes:
    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(pin.encode())


def print_exit_pin_hash() -> int:
    """``hemicycle --hash-exit-pin``: ask for the PIN twice (or read one line from a pipe) and
    print the lines to put in the deployment file. For IT preparing an image; no window."""
    try:
        if sys.stdin.isatty():
            pin = getpass.getpass("Exit PIN for the secretariat (digits): ")
            if getpass.getpass("The same PIN again: ") != pin:
                print("error: the two PINs are different", file=sys.stderr)
                return 2
        else:
            pin = sys.stdin.readline().strip()
        text = hash_exit_pin(pin)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        return 2
    print(f'[kiosk]\nenabled = true\nexit_pin = "{text}"')
    return 0


# --------------------------------------------------------------------------- finding and reading


def system_file() -> Path:
    """The machine-wide deployment file of this operating system (it may not exist)."""
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "Hemicycle" / FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Hemicycle") / FILE_NAME
    return Path("/etc/hemicycle") / FILE_NAME


def locate(given: str | None = None) -> Path | None:
    """The deployment file to read, or ``None`` when there is none (the module's documentation
    gives the order). A file named by ``given`` or the environment is returned whether it
    exists or not, so that a mistyped name is reported rather than ignored."""
    if given:
        return Path(given)
    named = os.environ.get(ENVIRONMENT)
    if named:
        return Path(named)
    places = [system_file()]
    if getattr(sys, "frozen", False):  # a PyInstaller build: the image's own folder first
        places.insert(0, Path(sys.executable).resolve().parent / FILE_NAME)
    return next((place for place in places if place.is_file()), None)


def find(
    given: str | None, languages: Collection[str]
) -> tuple[Deployment | None, DeploymentError | None]:
    """The deployment to start with, or why the one found cannot be used: the app starts
    without it then, and says so."""
    path = locate(given)
    if path is None:
        return None, None
    try:
        return load(path, languages), None
    except DeploymentError as exc:
        return None, exc


def load(path: Path, languages: Collection[str]) -> Deployment:
    """Read and check a deployment file; ``languages`` are the codes the app can show."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentError(path, "missing", "no such file") from None
    except UnicodeDecodeError:
        raise DeploymentError(path, "unreadable", "not UTF-8 text") from None
    except OSError as exc:
        raise DeploymentError(path, "unreadable", exc.strerror or str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise DeploymentError(path, "syntax", f"not valid TOML: {exc}") from None
    try:
        deployment = msgspec.convert(raw, Deployment)
    except msgspec.ValidationError as exc:
        key, detail = _where(p.explain(exc))
        raise DeploymentError(path, "invalid", detail, key) from None
    _check(path, deployment, languages)
    return deployment


def _where(text: str) -> tuple[str, str]:
    """msgspec's "… - at `$.room.port`" as the setting ``[room] port`` and what is wrong."""
    detail, _, at = text.partition(" - at `$.")
    parts = at.rstrip("`").split(".") if at else []
    unknown = re.search(r"unknown field `([^`]+)`", detail)
    if unknown:
        parts.append(unknown[1])
    if not parts:
        return "", detail
    key = f"[{parts[0]}]" + (f" {'.'.join(parts[1:])}" if len(parts) > 1 else "")
    return key, detail


def _check(path: Path, d: Deployment, languages: Collection[str]) -> None:
    """What the types alone cannot say, each named by its setting."""
    address = d.room.address
    if address:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            if not _HOST.match(address):
                raise DeploymentError(
                    path,
                    "invalid",
                    f"'{address}' is not an IP address or host name",
                    "[room] address",
                ) from None
    if d.room.id:
        try:
            parse_room_id(d.room.id)
        except CodeError as exc:
            raise DeploymentError(
                path,
                "invalid",
                f"not a room ID ({exc}): copy it from 'hemicycle-server room-id'",
                "[room] id",
            ) from None
    language = d.language.default
    if language and language not in languages:
        raise DeploymentError(
            path,
            "invalid",
            f"'{language}' is not one of {', '.join(sorted(languages))}",
            "[language] default",
        )
    if not d.language.delegates_may_change and not language:
        raise DeploymentError(
            path,
            "invalid",
            "delegates may not change the language: say which one it is",
            "[language] default",
        )
    if d.kiosk.exit_pin:
        try:
            ExitPin.parse(d.kiosk.exit_pin)
        except ValueError as exc:
            raise DeploymentError(path, "invalid", str(exc), "[kiosk] exit_pin") from None
    elif d.kiosk.enabled:
        raise DeploymentError(
            path,
            "invalid",
            "a kiosk needs the secretariat's exit PIN: make it with 'hemicycle --hash-exit-pin'",
            "[kiosk] exit_pin",
        )
