"""``hemicycle``: the delegate app. See :mod:`ui.startup` for the start-up flow."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``hemicycle [--profile NAME] [--lang en|vi] [--deployment FILE]
    [--version [-v]] [--hash-exit-pin]``."""
    from app.version import print_if_asked

    args = sys.argv[1:] if argv is None else argv
    if print_if_asked("hemicycle", args):  # before Qt is even imported: no display needed
        return 0
    if "--hash-exit-pin" in args:  # for IT preparing a tablet image, on any machine
        from app.deployment import print_exit_pin_hash

        return print_exit_pin_hash()
    from ui.delegate.window import DelegateWindow
    from ui.startup import run_app

    return run_app("delegate", DelegateWindow, args)


if __name__ == "__main__":
    sys.exit(main())
