"""``hemicycle``: the delegate app. See :mod:`ui.startup` for the start-up flow."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``hemicycle [--profile NAME] [--lang en|vi]``."""
    from ui.delegate.window import DelegateWindow
    from ui.startup import run_app

    return run_app("delegate", DelegateWindow, argv)


if __name__ == "__main__":
    sys.exit(main())
