"""``hemicycle``, frozen: the delegate app (ui.delegate.main), its renderer, its self-test."""

import sys

from hemicycle_frozen import run_render_worker_if_asked

run_render_worker_if_asked()
if sys.argv[1:2] == ["--self-test"]:
    from hemicycle_selftest import self_test

    sys.exit(self_test("delegate"))
from ui.delegate.main import main  # noqa: E402  (after the children and the self-test)

sys.exit(main())
