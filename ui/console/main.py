"""``hemicycle-console``: the secretary console. See :mod:`ui.startup` for the start-up flow."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``hemicycle-console [--profile NAME] [--lang en|vi]``."""
    from ui.console.window import ConsoleWindow
    from ui.startup import run_app

    return run_app("secretary", ConsoleWindow, argv)


if __name__ == "__main__":
    sys.exit(main())
