"""The deployment file of a prepared tablet: read and checked with errors that name the setting,
found where IT puts it, and the exit PIN stored only as its scrypt hash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import deployment
from app.codes import format_room_id
from app.deployment import Deployment, DeploymentError, ExitPin, hash_exit_pin, load
from tests.conftest import TEST_SCRYPT_COST

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "vi")
ROOM_ID = bytes(range(32))
PIN = "20261201"


def written(tmp_path: Path, text: str, name: str = "deployment.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_complete_file_is_read(tmp_path: Path) -> None:
    exit_pin = hash_exit_pin(PIN, TEST_SCRYPT_COST)
    path = written(
        tmp_path,
        f"""
[room]
address = "10.20.0.5"
port = 9443
id = "{format_room_id(ROOM_ID)}"

[language]
default = "vi"
delegates_may_change = false

[kiosk]
enabled = true
exit_pin = "{exit_pin}"
""",
    )
    d = load(path, LANGUAGES)
    assert (d.room.address, d.room_port, d.room_id) == ("10.20.0.5", 9443, ROOM_ID)
    assert d.language.default == "vi" and d.language_locked
    assert d.kiosk.enabled and d.exit_pin is not None
    assert d.exit_pin.matches(PIN) and not d.exit_pin.matches("20261202")
    assert PIN not in path.read_text()  # only its hash


def test_an_empty_file_changes_nothing(tmp_path: Path) -> None:
    d = load(written(tmp_path, ""), LANGUAGES)
    assert d == Deployment()
    assert (d.room_port, d.room_id, d.exit_pin, d.language_locked) == (None, None, None, False)


@pytest.mark.parametrize(
    ("text", "kind", "key", "detail"),
    [
        ("[room]\nport = 0", "invalid", "[room] port", "Expected `int` >= 1"),
        ('[room]\nport = "8443"', "invalid", "[room] port", "Expected `int`, got `str`"),
        ("[room]\nprot = 8443", "invalid", "[room] prot", "unknown field `prot`"),
        ("[kiosks]\nenabled = true", "invalid", "[kiosks]", "unknown field `kiosks`"),
        ('[room]\naddress = "10.0.0.5 "', "invalid", "[room] address", "not an IP address"),
        ('[room]\nid = "2R22-A7M5"', "invalid", "[room] id", "not a room ID"),
        ('[language]\ndefault = "fr"', "invalid", "[language] default", "not one of en, vi"),
        ("[language]\ndelegates_may_change = false", "invalid", "[language] default", "say which"),
        ("[kiosk]\nenabled = true", "invalid", "[kiosk] exit_pin", "hemicycle --hash-exit-pin"),
        ('[kiosk]\nexit_pin = "1234"', "invalid", "[kiosk] exit_pin", "not an exit PIN hash"),
        ("[room\naddress = 1", "syntax", "", "not valid TOML"),
    ],
)
def test_a_mistake_is_named_by_its_setting(
    tmp_path: Path, text: str, kind: str, key: str, detail: str
) -> None:
    path = written(tmp_path, text)
    with pytest.raises(DeploymentError) as caught:
        load(path, LANGUAGES)
    assert (caught.value.kind, caught.value.key) == (kind, key)
    assert detail in caught.value.detail
    assert str(caught.value).startswith(f"{path}: ")


def test_a_doctored_exit_pin_cost_is_refused_before_any_work() -> None:
    good = hash_exit_pin(PIN, TEST_SCRYPT_COST).split("$")
    for log2_n in ("31", "x"):
        with pytest.raises(ValueError, match="damaged"):
            ExitPin.parse("$".join([good[0], log2_n, *good[2:]]))
    with pytest.raises(ValueError, match="digits"):
        hash_exit_pin("1234", TEST_SCRYPT_COST)  # too short to be an exit PIN


def test_a_file_that_is_not_text_or_not_there(tmp_path: Path) -> None:
    path = tmp_path / "deployment.toml"
    path.write_bytes(b"\xff\xfe[room]")
    with pytest.raises(DeploymentError) as caught:
        load(path, LANGUAGES)
    assert caught.value.kind == "unreadable"
    with pytest.raises(DeploymentError) as caught:
        load(tmp_path / "absent.toml", LANGUAGES)
    assert caught.value.kind == "missing"


def test_where_the_file_is_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = written(tmp_path, "", "system.toml")
    env = written(tmp_path, '[language]\ndefault = "vi"', "env.toml")
    monkeypatch.setattr(deployment, "system_file", lambda: system)
    monkeypatch.delenv(deployment.ENVIRONMENT, raising=False)
    assert deployment.locate() == system
    monkeypatch.setenv(deployment.ENVIRONMENT, str(env))
    assert deployment.locate() == env
    given = tmp_path / "typo.toml"
    assert deployment.locate(str(given)) == given  # named: reported even if it is not there
    found, problem = deployment.find(str(given), LANGUAGES)
    assert found is None and problem is not None and problem.kind == "missing"
    found, problem = deployment.find(None, LANGUAGES)
    assert problem is None and found is not None and found.language.default == "vi"
    monkeypatch.delenv(deployment.ENVIRONMENT)
    system.unlink()
    assert deployment.locate() is None and deployment.find(None, LANGUAGES) == (None, None)


def test_the_system_place_of_each_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", r"D:\ProgramData")
    assert deployment.system_file() == Path(r"D:\ProgramData") / "Hemicycle" / "deployment.toml"
    monkeypatch.setattr(sys, "platform", "linux")
    assert deployment.system_file() == Path("/etc/hemicycle/deployment.toml")


def test_hemicycle_hash_exit_pin_prints_the_lines_for_the_file(tmp_path: Path) -> None:
    """What IT runs once while preparing the image: no window, no display needed."""
    run = subprocess.run(
        [sys.executable, "-m", "ui.delegate.main", "--hash-exit-pin"],
        input=PIN + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "none"},
    )
    assert run.returncode == 0, run.stderr
    path = written(tmp_path, run.stdout)
    d = load(path, LANGUAGES)
    assert d.kiosk.enabled and d.exit_pin is not None and d.exit_pin.matches(PIN)
    short = subprocess.run(
        [sys.executable, "-m", "ui.delegate.main", "--hash-exit-pin"],
        input="1234\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert short.returncode == 2 and "8 to 16 digits" in short.stderr
