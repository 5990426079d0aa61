"""The room's ``config.toml``: written with comments by ``init``, checked with clear errors."""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Annotated

import msgspec

DEFAULT_PORT = 8443

DEFAULT_CONFIG = """\
# Hemicycle room server configuration.
# Every setting can be left as it is; the command line overrides [server] host and port.

[server]
# Address to listen on. "0.0.0.0" listens on every IPv4 interface of this machine,
# "127.0.0.1" on this machine only.
host = "0.0.0.0"
# TCP port for the TLS WebSocket endpoint.
port = {port}

[discovery]
# Announce the room on the LAN with mDNS (_hemicycle._tcp.local.).
enabled = true
# Interface addresses to announce on. Empty: the addresses of [server] host.
interfaces = []

[enrollment]
# Addresses printed into enrollment codes. Empty: the announced interface addresses.
addresses = []

[limits]
# Connections accepted at once; further ones are refused until others leave.
max_connections = 4000
# Bytes a slow client may have waiting to be sent before it is dropped and asked to resync.
slow_client_buffer = 1048576
"""

Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]


class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class ServerSection(_Section):
    host: str = "0.0.0.0"
    port: Port = DEFAULT_PORT


class DiscoverySection(_Section):
    enabled: bool = True
    interfaces: list[str] = []


class EnrollmentSection(_Section):
    addresses: list[str] = []


class LimitsSection(_Section):
    max_connections: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 4000
    slow_client_buffer: Annotated[int, msgspec.Meta(ge=65_536)] = 1_048_576


class Config(_Section):
    server: ServerSection = msgspec.field(default_factory=ServerSection)
    discovery: DiscoverySection = msgspec.field(default_factory=DiscoverySection)
    enrollment: EnrollmentSection = msgspec.field(default_factory=EnrollmentSection)
    limits: LimitsSection = msgspec.field(default_factory=LimitsSection)


class ConfigError(Exception):
    """Raised with the file name and what to fix."""


def write_default(path: Path, port: int = DEFAULT_PORT) -> None:
    path.write_text(DEFAULT_CONFIG.format(port=port), encoding="utf-8")


def load(path: Path) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: missing; 'hemicycle-server init' writes one") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        config = msgspec.convert(raw, Config)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for addr in [config.server.host, *config.discovery.interfaces, *config.enrollment.addresses]:
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            raise ConfigError(f"{path}: '{addr}' is not an IP address") from None
    return config
