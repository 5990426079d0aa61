"""The resource locator in a source checkout: the top-level ``resources/`` folder itself.

The installed layout (package data inside the wheel) is proven by tests/test_packaging.py.
"""

from __future__ import annotations

from pathlib import Path

from app import resources

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_uses_the_resources_folder_it_edits() -> None:
    assert not (ROOT / "app" / resources.PACKAGED_DIR).exists()
    assert resources.resource_dir() == ROOT / "resources"
    assert resources.missing_fonts() == []
    assert (resources.styles_dir() / "hemicycle.qss").is_file()
    assert (resources.translations_dir() / "hemicycle_vi.ts").is_file()
    assert (resources.sample_dir() / "roster.csv").is_file()
