"""Real PDFs that no one here wrote, for tests and benchmarks: Debian's ``lilypond-doc-pdf``.

``bash .ci/run`` installs the package; where it is missing, tests that need these files are
skipped with a reason that names it. The files are never copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = "lilypond-doc-pdf"
FOLDER = Path("/usr/share/doc/lilypond/html/Documentation")


def real_pdf(name: str = "notation.pdf") -> Path:
    """The path of one of the package's manuals (``notation.pdf``: 930 pages, 29 MB, a
    619-entry outline); skips the calling test when the package is not installed."""
    path = FOLDER / name
    if not path.is_file():
        pytest.skip(f"{path} is missing: install the Debian package {PACKAGE}")
    return path
