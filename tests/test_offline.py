"""Nothing in Hemicycle reaches beyond the hall: no program asks to update itself, or fetches
anything, from the internet (docs/operations.md, Upgrading).

The only network code is the room's own (websockets over TLS to a pinned room, mDNS, the
server's PostgreSQL, and ``status`` asking the room's own health endpoint): no other module
imports an HTTP client, a way to open a web page, or Qt's network access, so no update check,
download or "what's new" page can hide in one.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Modules through which a program could fetch something from the internet or send the user
#: to a web page.
FORBIDDEN = (
    "urllib.request",
    "http.client",
    "requests",
    "httpx",
    "aiohttp",
    "urllib3",
    "ftplib",
    "webbrowser",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineWidgets",
)
#: Qt names that open a URL in another program.
FORBIDDEN_NAMES = ("QDesktopServices",)
#: The room's own uses of one of them, each with what it reaches.
ROOMS_OWN = {
    # status and doctor ask the room server's own GET /health, over TLS pinned to the room's
    # certificate (docs/operations.md §6)
    "server/health.py: http.client",
}


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_no_program_can_fetch_from_the_internet() -> None:
    offenders = []
    for package in ("app", "server", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for module, names in _imports(path):
                if any(module == f or module.startswith(f + ".") for f in FORBIDDEN):
                    offenders.append(f"{path.relative_to(ROOT)}: {module}")
                offenders.extend(
                    f"{path.relative_to(ROOT)}: {name}" for name in names if name in FORBIDDEN_NAMES
                )
    assert [o for o in offenders if o not in ROOMS_OWN] == []
