"""``hemicycle --self-test`` / ``hemicycle-console --self-test``: the frozen build, end to end.

Only in the PyInstaller builds (the launchers in this folder call it; the apps installed from the
wheel do not have it), and not shown by ``--help``. It is how the packaging smoke test
(``tests/test_package_build.py``) and IT staff checking a fresh installation see that a build
works on a machine, without anyone typing on a screen:

    printf '{"code": "0404G-…", "pin": "2468"}' | QT_QPA_PLATFORM=offscreen hemicycle --self-test

It reads one JSON object on standard input — ``code``, an enrollment code (typed form),
``pin``, the PIN to seal the keys with, and optionally ``lang`` (``vi`` by default) — and then
does what a delegate does: enrolls the profile (the app's default profile, under
``$HEMICYCLE_HOME`` if set; the keys are sealed in a file, never in the system keychain),
opens the main window with the bundled fonts, style sheet and language, waits until the room is
online and the agenda and every document the device may read are here, and in the delegate app
opens the first document in the reader, whose pages a render process (this executable again)
draws. Without ``code`` it unlocks the profile enrolled before with ``pin`` instead, as the PIN
pad does when the app starts again.

Each step prints one JSON line with the time it was reached (``time.time()``; ``started``
also carries when the process was started), the last one ``{"step": "done", …}``; the exit
status is 0 then, 1 if a step did not come within ``timeout`` seconds (60 by default) or the
room refused, 2 for bad input.

The code is read from standard input, not the command line, so it does not show in ``ps``.
"""

from __future__ import annotations

import asyncio
import faulthandler
import json
import sys
import time
from typing import Any


def say(step: str, **facts: Any) -> None:
    print(json.dumps({"step": step, "at": time.time(), **facts}, ensure_ascii=False), flush=True)


def self_test(kind: str) -> int:
    """Run the self-test for the ``delegate`` or ``secretary`` app; the exit status."""
    started = time.time()
    faulthandler.enable()  # a crash says where, for the report
    try:
        request = json.loads(sys.stdin.readline())
        code_text, pin = request.get("code"), str(request["pin"])
        lang = str(request.get("lang", "vi"))
        timeout = float(request.get("timeout", 60))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        print(f"--self-test reads one JSON object with code and pin: {exc}", file=sys.stderr)
        return 2

    import psutil
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.codes import EnrollmentCode
    from app.enroll import EnrollError, enroll
    from app.paths import default_home
    from app.profile import Profile
    from app.unlockguard import PinLocked
    from app.vault import VaultError, WrongPin
    from app.version import version
    from ui.bridge import NetworkThread
    from ui.i18n import Translations, settings_for
    from ui.startup import AppController
    from ui.theme import apply_theme, load_fonts

    profile = "console" if kind == "secretary" else "delegate"
    home = default_home(profile)
    say("started", version=version(), process=psutil.Process().create_time(), python=started)
    try:
        if code_text is None:
            unlocked = Profile(home).unlock(pin)
        else:
            code = EnrollmentCode.parse(str(code_text))
            unlocked = asyncio.run(enroll(home, code, pin, "self-test", prefer_keyring=False))
    except (EnrollError, VaultError, WrongPin, PinLocked, ValueError) as exc:
        print(f"enrollment or unlocking failed: {exc}", file=sys.stderr)
        return 1
    step = "unlocked" if code_text is None else "enrolled"
    say(step, device=unlocked.identity.device_id, room=unlocked.identity.room_name)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hemicycle")
    app.setOrganizationName("Hemicycle")
    apply_theme(app)
    translations = Translations(app, settings=settings_for(home), parent=app)
    translated = translations.set_language(lang, remember=False)
    if kind == "secretary":
        from ui.console.window import ConsoleWindow as Window
    else:
        from ui.delegate.window import DelegateWindow as Window  # type: ignore[assignment]

    network = NetworkThread()
    network.start()
    controller = AppController(kind, Profile(home), network, translations, Window, discover=False)
    app.aboutToQuit.connect(controller.shutdown)
    failures: list[str] = []
    state: dict[str, Any] = {"online": False, "reading": False, "done": False}

    def done() -> None:
        if not state["done"]:
            state["done"] = True
            say("done")
            app.quit()

    def fail(why: str) -> None:
        failures.append(why)
        app.quit()

    controller.open_main(unlocked)
    window, bridge = controller.window, controller.bridge
    assert window is not None and bridge is not None
    say(
        "shown",
        platform=app.platformName(),
        font=load_fonts(),
        style_sheet=bool(app.styleSheet()),
        language=translations.language() if translated else None,
        title=window.windowTitle(),
    )

    def check() -> None:
        model, documents = bridge.model, bridge.documents
        if bridge.status != "online" or not model.items:
            return
        if not all(documents.ready(doc_id) for doc_id in model.documents):
            return
        if not state["online"]:
            state["online"] = True
            say(
                "online",
                meetings=[m.title for m in model.meetings.values()],
                items=len(model.items),
                documents=len(model.documents),
            )
        if kind == "secretary" or not model.documents:
            done()
        elif not state["reading"]:
            state["reading"] = True
            open_first_document(model)

    def open_first_document(model: Any) -> None:
        doc = model.documents[min(model.documents)]
        # The reader is put on screen in the same call that makes it, before any page can
        # come back from its render process: listen from there, so no page is missed.
        window.screens.currentChanged.connect(lambda _index: watch_reader(doc.title))  # type: ignore[attr-defined]
        window.open_document(doc)  # type: ignore[attr-defined]

    def watch_reader(title: str) -> None:
        reader = getattr(window, "reader", None)
        if reader is None or state.get("watching"):
            return
        state["watching"] = True

        def drawn(_picture: object) -> None:
            if state["done"] or state.get("drawn"):
                return
            state["drawn"] = True
            say("page drawn", document=title, pages=reader.view.page_count())
            # Stop the render process before quitting: its reply thread must not be left
            # handing pages to Qt while the interpreter shuts down.
            reader.client.close()
            QTimer.singleShot(200, done)

        reader.client.picture.connect(drawn)
        reader.client.gaveUp.connect(lambda: fail("the render process kept crashing"))
        reader.client.failed.connect(lambda failed: fail(f"the renderer failed: {failed}"))

    bridge.statusChanged.connect(lambda *_: check())
    bridge.stateChanged.connect(lambda *_: check())
    bridge.documentsChanged.connect(lambda *_: check())
    bridge.fatal.connect(lambda code, message: fail(f"the room refused: {code} {message}"))
    QTimer.singleShot(0, check)
    QTimer.singleShot(int(timeout * 1000), lambda: fail(f"not done after {timeout:g} s"))
    app.exec()
    if failures:
        print(f"self-test failed: {failures[0]}", file=sys.stderr)
        return 1
    return 0
