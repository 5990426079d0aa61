"""config.toml's mistakes, each named by its line and setting, with what to write instead."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from server import config as cfg
from server.cli import main
from server.configcheck import key_lines
from tests.conftest import make_room

BROKEN = """\
port = 8443
[server]
host = "hall-server"
port = 70000

[sever]
x = 1

[limits]
max_conections = 10
cache_megabytes = 5
slow_client_buffer = "big"
failed_attempt_seconds = true

[discovery]
interfaces = ["10.20.0.5", "eth0"]

[database]
url = "mysql://hemicycle:s3cret@db1/room"

[log]
level = "verbose"
"""

EXPECTED = [
    "config.toml:1: port: a setting outside any section; put it under [server]",
    'config.toml:3: [server] host: "hall-server" is not an IP address; expected one of this '
    'machine\'s addresses, such as "10.20.0.5", or "0.0.0.0" for every interface',
    "config.toml:4: [server] port: 70000 is too large; expected a whole number from 1 to 65535",
    "config.toml:6: [sever]: unknown section; did you mean [server]?",
    "config.toml:10: [limits] max_conections: unknown setting; did you mean max_connections?",
    "config.toml:11: [limits] cache_megabytes: unknown setting; it belongs in [documents]",
    'config.toml:12: [limits] slow_client_buffer: "big" is a text; expected a whole number of '
    "at least 65536",
    "config.toml:13: [limits] failed_attempt_seconds: true is a true/false value; expected a "
    "number from 0.001 to 3600",
    'config.toml:16: [discovery] interfaces: "eth0" is not an IP address; expected the addresses '
    'of the interfaces to announce on, such as ["10.20.0.5"] (`ip -4 addr` lists them), or [] '
    "for those of [server] host",
    "config.toml:19: [database] url: unsupported database 'mysql'; expected empty (room.db in "
    "the data directory) or postgresql://USER@HOST/DATABASE (docs/operations.md §14.6)",
    'config.toml:22: [log] level: "verbose" is not one of the choices; expected one of "debug", '
    '"error", "info", "warning"',
]


def test_config_errors_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every mistake at once, by line, in file order; the same sentences from check-config and
    from every command that refuses the file, run included; never the database password."""
    d = make_room(tmp_path / "room")
    capsys.readouterr()
    d.config.write_text(BROKEN, encoding="utf-8")
    assert main(["check-config", str(d.root)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{d.root}/{line}" for line in EXPECTED]
    assert (
        err
        == f"error: 11 mistakes in {d.config}: fix them and check again (docs/operations.md §5)\n"
    )
    assert "s3cret" not in out
    for command in (["run", str(d.root), "--port", "0", "--no-mdns"], ["room-id", str(d.root)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err == "error: " + "\n".join(f"{d.root}/{line}" for line in EXPECTED) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[server\n",
            "config.toml:1: not valid TOML at column 8: expected ']' at the end of a table declaration",
        ),
        (
            "[server]\n\nhost = hall\n",
            "config.toml:3: not valid TOML at column 8: invalid value (a text goes in double "
            'quotes: host = "10.20.0.5")',
        ),
        (
            "[server]\nport = 1\nport = 2\n",
            "config.toml:3: not valid TOML at column 9: cannot overwrite a value (a setting given "
            "twice)",
        ),
        (
            "[limits]\n[limits]\n",
            "config.toml:2: not valid TOML at column 8: [limits] appears twice",
        ),
        (
            '[server]\nhost = "10.0.0.1\n',
            "config.toml:2: not valid TOML at column 17: illegal character '\\n'",
        ),
        (
            '[log]\nlevel = """info\n',
            "config.toml:2: not valid TOML at the end of the file: unterminated string",
        ),
    ],
)
def test_syntax_errors_carry_their_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    config, problems = cfg.check(path)
    assert config is None
    assert [p.format("config.toml") for p in problems] == [message]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # an inline table, a dotted key: the line of what holds the setting
        (
            'server = { port = "x" }\n',
            'config.toml:1: [server] port: "x" is a text; expected a whole number from 1 to 65535',
        ),
        (
            "limits.max_connections = 0\n",
            "config.toml:1: [limits] max_connections: 0 is too small; expected a whole number from 1 to 100000",
        ),
        (
            "server = 5\n",
            "config.toml:1: [server]: 5 is a whole number; expected a [server] section of settings",
        ),
        (
            '[discovery]\ninterfaces = [\n  "10.0.0.5",\n  5,\n]\n',
            "config.toml:2: [discovery] interfaces: item 2, 5, is a whole number; expected a list "
            "of texts in double quotes ([] for none)",
        ),
        (
            '[server]\n# port = "commented out"\ndescription = """\nport = 9\n"""\nport = 9.5\n',
            "config.toml:3: [server] description: unknown setting; [server] has host, port",
        ),
        (
            '[database]\nurl = "postgresql://u:pw@db1:port/room"\n',
            "config.toml:2: [database] url: not a database URL; expected empty (room.db in the "
            "data directory) or postgresql://USER@HOST/DATABASE (docs/operations.md §14.6)",
        ),
        (
            "[enrollment]\ndelegate_code_days = 400\n",
            "config.toml:2: [enrollment] delegate_code_days: 400 is too large; expected a number from 0.01 to 365",
        ),
        (
            "[hall]\n",
            "config.toml:1: [hall]: unknown section; the sections are [server], [database], [discovery], [enrollment], [limits], [documents], [log]",
        ),
    ],
)
def test_each_mistake_names_its_setting_and_what_it_takes(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    _config, problems = cfg.check(path)
    assert problems[0].format("config.toml") == message


def test_a_line_in_a_multiline_string_is_not_a_setting() -> None:
    lines = key_lines('[server]\nnote = """\nport = 1\n"""\nport = 2\n')
    assert lines[("server", "port")] == 5 and lines[("server", "note")] == 2


def test_the_file_init_writes_passes_and_says_what_it_sets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = make_room(tmp_path / "room")
    capsys.readouterr()
    assert main(["check-config", str(d.config)]) == 0
    assert capsys.readouterr().out == (
        f"{d.config}: no mistakes.\n  listens on 127.0.0.1:8443, state in room.db beside it, "
        "mDNS on the addresses of [server] host, log level info\n"
    )
    # the scan finds every setting init wrote, each under its comment from the struct
    text = d.config.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = key_lines(text)
    root = msgspec.inspect.type_info(cfg.Config)
    assert isinstance(root, msgspec.inspect.StructType)
    for section in root.fields:
        assert isinstance(section.type, msgspec.inspect.StructType)
        for field in section.type.fields:
            line = found[(section.name, field.name)]
            assert lines[line - 1].startswith(f"{field.name} = ")
            description = getattr(field.type, "extra_json_schema", {})["description"]
            assert lines[line - 2].startswith("# ") and description.endswith(lines[line - 2][2:])


def test_check_config_on_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(tmp_path / "nowhere.toml")]) == 2
    assert "missing; 'hemicycle-server init' writes one" in capsys.readouterr().err


def test_the_log_level_is_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[log]\nlevel = "warning"\n', encoding="utf-8")
    assert cfg.load(path).log.level == "warning"
