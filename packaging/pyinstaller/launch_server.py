"""``hemicycle-server``, frozen: the room server (server.cli) and its PDF-checking child."""

import sys

from hemicycle_frozen import run_pdf_check_if_asked

run_pdf_check_if_asked()
from server.cli import main  # noqa: E402  (after the children and the self-test)

sys.exit(main())
