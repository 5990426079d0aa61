"""Guessing PINs by hand at the unlock screen gets slower, and a restart does not reset it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.profile import Identity, PinLocked, Profile, WrongPin
from app.unlockguard import FIRST_WAIT, FREE_ATTEMPTS, UnlockGuard
from app.vault import Secrets, Vault
from tests.conftest import TEST_SCRYPT_COST


def enrolled_profile(home: Path) -> Profile:
    home.mkdir()
    secrets = Secrets(sign_key=os.urandom(32), kx_key=os.urandom(32), store_key=os.urandom(32))
    Vault(home, TEST_SCRYPT_COST).create("2468", secrets, prefer_keyring=False)
    profile = Profile(home)
    profile.save_identity(
        Identity(
            room_name="R",
            room_id=os.urandom(32),
            addresses=("127.0.0.1",),
            port=8443,
            device_id=1,
            role="delegate",
        )
    )
    return profile


def test_wrong_pins_lock_the_profile_and_the_lock_outlives_the_app(tmp_path: Path) -> None:
    profile = enrolled_profile(tmp_path / "p")
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(WrongPin):
            profile.unlock("0000")
    with pytest.raises(PinLocked) as locked:
        Profile(tmp_path / "p").unlock("2468")  # a fresh start of the app: still locked
    assert FIRST_WAIT - 5 < locked.value.seconds <= FIRST_WAIT


def test_the_right_pin_clears_the_count(tmp_path: Path) -> None:
    profile = enrolled_profile(tmp_path / "p")
    for _ in range(FREE_ATTEMPTS - 1):
        with pytest.raises(WrongPin):
            profile.unlock("1111")
    profile.unlock("2468")
    assert not UnlockGuard(tmp_path / "p").file.exists()


def test_each_wrong_pin_past_the_free_ones_doubles_the_wait(tmp_path: Path) -> None:
    guard = UnlockGuard(tmp_path)
    waits = []
    for _ in range(FREE_ATTEMPTS + 2):
        guard.failed()
        try:
            guard.check()
            waits.append(0.0)
        except PinLocked as exc:
            waits.append(exc.seconds)
    assert waits[: FREE_ATTEMPTS - 1] == [0.0] * (FREE_ATTEMPTS - 1)
    assert waits[-1] > waits[-2] * 1.9
    assert time.time() < guard._load().locked_until
