"""`make demo` reports the room server's exit as a failure only when it is one."""

from __future__ import annotations

import pytest

from ui.demo import server_stopped_unexpectedly


@pytest.mark.parametrize(
    ("returncode", "stopping", "unexpected"),
    [
        (None, False, False),  # still running
        (0, False, False),  # stopped cleanly (it got the Ctrl+C or SIGTERM first)
        (0, True, False),  # stopped cleanly while the demo stops
        (-15, True, False),  # ended by the demo's own SIGTERM
        (130, True, False),
        (1, False, True),  # crashed while the demo runs
        (2, False, True),
        (-9, False, True),  # killed from outside while the demo runs
    ],
)
def test_only_a_failure_while_the_demo_runs_is_unexpected(
    returncode: int | None, stopping: bool, unexpected: bool
) -> None:
    assert server_stopped_unexpectedly(returncode, stopping) is unexpected
