"""The room's ``config.toml``, declared once: each setting's type, range, default, comment and
extra check live in the structs below; ``init`` writes the commented file from them, and
:func:`load` (every command, ``run`` included) and ``check-config`` check a file against them,
naming each mistake by its line (server/configcheck.py)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from app import protocol as p
from server import configcheck
from server.configcheck import toml_value

DEFAULT_PORT = 8443

Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]


def _doc(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


def _check(fn: configcheck.Check) -> msgspec.Meta:
    """A check beyond the type and range, run by configcheck once the type is right."""
    return msgspec.Meta(extra={configcheck.CHECK: fn})


def _host(value: str) -> str | None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return (
            f"{toml_value(value)} is not an IP address; expected one of this machine's "
            'addresses, such as "10.20.0.5", or "0.0.0.0" for every interface'
        )
    return None


def _addresses(values: list[str]) -> str | None:
    for value in values:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return (
                f"{toml_value(value)} is not an IP address; expected the addresses of the "
                'interfaces to announce on, such as ["10.20.0.5"] (`ip -4 addr` lists them), '
                "or [] for those of [server] host"
            )
    return None


def _database(value: str) -> str | None:
    if not value:
        return None
    # Lazily: server.db loads SQLAlchemy's models, which every user of the settings needs not.
    from server.db import database_url

    usage = (
        "expected empty (room.db in the data directory) or "
        "postgresql://USER@HOST/DATABASE (docs/operations.md §14.6)"
    )
    try:
        database_url(value)
    except ValueError as exc:
        # Never the URL itself: it may carry a password.
        reason = str(exc).split(":")[0] if "unsupported" in str(exc) else "not a database URL"
        return f"{reason}; {usage}"
    except Exception:
        return f"not a database URL; {usage}"
    return None


class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class ServerSection(_Section):
    """Where the room server listens. The command line overrides host and port."""

    host: Annotated[
        str,
        _doc(
            'Address to listen on. "0.0.0.0" listens on every IPv4 interface of this machine, '
            '"127.0.0.1" on this machine only.'
        ),
        _check(_host),
    ] = "0.0.0.0"
    port: Annotated[Port, _doc("TCP port for the TLS WebSocket endpoint.")] = DEFAULT_PORT


class DatabaseSection(_Section):
    """Where the room's state and log are stored."""

    url: Annotated[
        str,
        _doc(
            "Empty: the embedded SQLite database room.db in this folder. For several server "
            "processes or a standby machine: postgresql://USER@HOST/DATABASE (see "
            "docs/operations.md)."
        ),
        _check(_database),
    ] = ""


class DiscoverySection(_Section):
    """Announcing the room on the LAN with mDNS (_hemicycle._tcp.local.)."""

    enabled: Annotated[bool, _doc("Announce the room.")] = True
    interfaces: Annotated[
        list[str],
        _doc("Interface addresses to announce on. Empty: the addresses of [server] host."),
        _check(_addresses),
    ] = []


class EnrollmentSection(_Section):
    """One-time enrollment codes."""

    addresses: Annotated[
        list[str],
        _doc(
            "Addresses printed into codes (IP addresses or host names, resolved when the codes "
            "are issued). Empty: the announced interface addresses."
        ),
    ] = []
    delegate_code_days: Annotated[
        float,
        msgspec.Meta(ge=0.01, le=365, description="Days an unused delegate code stays valid."),
    ] = 30.0
    staff_code_days: Annotated[
        float,
        msgspec.Meta(
            ge=0.01,
            le=365,
            description="Days an unused secretary, display or admin code stays valid.",
        ),
    ] = 7.0


class LimitsSection(_Section):
    """Protection against overload and guessing."""

    max_connections: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            le=100_000,
            description="Connections accepted at once; more are refused until others leave.",
        ),
    ] = 4000
    connections_per_address: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            le=100_000,
            description="Connections one network address may hold at once (raise it if devices "
            "reach the server through NAT).",
        ),
    ] = 16
    failed_attempts: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            le=10_000,
            description="Refused enrollment codes or authentications one address may make in a "
            "burst; then one more per failed_attempt_seconds.",
        ),
    ] = 10
    failed_attempt_seconds: Annotated[
        float,
        msgspec.Meta(ge=0.001, le=3600, description="Seconds to earn back one failed attempt."),
    ] = 6.0
    bulk_connections: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            le=100_000,
            description="Document download connections served at once; devices beyond it retry "
            "a little later. Sending is bound by the CPU, not by this number: more only costs "
            "memory and slows the agenda's events while a hall pre-stages.",
        ),
    ] = 100
    slow_client_buffer: Annotated[
        int,
        msgspec.Meta(
            ge=65_536,
            description="Bytes a slow client may have waiting to be sent before it is dropped "
            "and asked to resync.",
        ),
    ] = 1_048_576


class DocumentsSection(_Section):
    """What the room accepts as a document (every upload is checked against these)."""

    max_megabytes: Annotated[
        int,
        msgspec.Meta(
            ge=1,
            le=p.MAX_DOCUMENT_BYTES // 2**20,
            description="Largest PDF file accepted, in megabytes.",
        ),
    ] = 200
    max_pages: Annotated[
        int, msgspec.Meta(ge=1, le=p.MAX_PAGES, description="Most pages a document may have.")
    ] = 5000
    cache_megabytes: Annotated[
        int,
        msgspec.Meta(
            ge=0,
            le=65_536,
            description="Memory for the document chunks served lately (ciphertext only), so "
            "that devices pre-staging the same meeting do not each read it from the database; "
            "0 turns it off.",
        ),
    ] = 128


LogLevel = Literal["debug", "info", "warning", "error"]


class LogSection(_Section):
    """The server's log, logs/server.log in this folder (rotated at 10 MB, 5 old files kept)."""

    level: Annotated[
        LogLevel,
        _doc(
            'What the log keeps: "info" every connection, enrollment and change; "warning" only '
            'what needs attention; "error" only failures; "debug" everything, for a support '
            "call (large)."
        ),
    ] = "info"


class Config(_Section):
    server: ServerSection = msgspec.field(default_factory=ServerSection)
    database: DatabaseSection = msgspec.field(default_factory=DatabaseSection)
    discovery: DiscoverySection = msgspec.field(default_factory=DiscoverySection)
    enrollment: EnrollmentSection = msgspec.field(default_factory=EnrollmentSection)
    limits: LimitsSection = msgspec.field(default_factory=LimitsSection)
    documents: DocumentsSection = msgspec.field(default_factory=DocumentsSection)
    log: LogSection = msgspec.field(default_factory=LogSection)


class ConfigError(Exception):
    """Raised with the file name and what to fix."""


def _wrap(text: str, width: int = 96) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def render(config: Config) -> str:
    """The commented TOML of ``config``: what ``init`` writes."""
    out = [
        "# Hemicycle room server configuration.",
        "# Every setting can be left as it is; 'hemicycle-server init' wrote the defaults.",
    ]
    root = msgspec.inspect.type_info(Config)
    assert isinstance(root, msgspec.inspect.StructType)
    for section in root.fields:
        kind = section.type
        assert isinstance(kind, msgspec.inspect.StructType)
        out.append("")
        out.extend(f"# {line}" for line in _wrap((kind.cls.__doc__ or "").strip()))
        out.append(f"[{section.name}]")
        values = getattr(config, section.name)
        for field in kind.fields:
            schema = getattr(field.type, "extra_json_schema", None) or {}
            description = str(schema.get("description", ""))
            out.extend(f"# {line}" for line in _wrap(description))
            out.append(f"{field.name} = {toml_value(getattr(values, field.name))}")
    return "\n".join(out) + "\n"


def write(path: Path, config: Config) -> None:
    path.write_text(render(config), encoding="utf-8")


def load(path: Path) -> Config:
    """The settings in ``path``; :class:`ConfigError` names every mistake by its line."""
    config, problems = check(path)
    if config is None:
        raise ConfigError("\n".join(problem.format(str(path)) for problem in problems))
    return config


def check(path: Path) -> tuple[Config | None, list[configcheck.Problem]]:
    """The settings in ``path``, or ``None`` and every mistake in it (``check-config``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: missing; 'hemicycle-server init' writes one") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    return configcheck.check(text, Config)
