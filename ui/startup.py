"""How both apps start: arguments, profile, first-run wizard or PIN, then the main window.

``hemicycle`` and ``hemicycle-console`` differ only in their main window and wording, so the
whole flow lives here once::

    main()  ->  run_app(kind, window_factory)
                  QApplication, theme
                  the delegate app: its deployment file (app/deployment.py), if any
                  language (--lang > the file's, if delegates may not change it > remembered
                            > the file's > system)
                  NetworkThread started
                  profile enrolled?  no  -> GateWindow(EnrollWizard)  --enrolled(Unlocked)--.
                                     yes -> GateWindow(UnlockPage)    --unlocked(Unlocked)--+
                  ClientBridge(network, unlocked) + window_factory(bridge, identity, tr)  <-'
                  bridge.start(); the window shows the stored agenda at once, offline
                  on quit: bridge.stop() (client saves), network.stop() (loop joined)

The deployment file prepares a tablet image once: the wizard starts with the room filled in
and pinned, the language switch is hidden if delegates may not change it, and in kiosk mode
(ui/kiosk.py) both windows are held full screen until the secretariat's exit PIN. A file that
cannot be used is said on the gate window, and the app starts as if there were none. The
console reads no deployment file: it is the secretariat's own machine, not an imaged tablet.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from ui.bridge import BrowserBridge, ClientBridge, NetworkThread
from ui.i18n import LANGUAGES, Translations, settings_for
from ui.kiosk import Kiosk, KioskWindow
from ui.theme import apply_theme, fix_window_minimum
from ui.widgets import errors
from ui.widgets.enroll import EnrollWizard, RoomPreset
from ui.widgets.header import Header
from ui.widgets.language import LanguageSwitch
from ui.widgets.unlock import UnlockPage

if TYPE_CHECKING:
    from app.deployment import Deployment, DeploymentError
    from app.profile import Identity, Profile, Unlocked

log = logging.getLogger("hemicycle.ui")

WindowFactory = Callable[[ClientBridge, "Identity", Translations], QWidget]


class GateWindow(QWidget):
    """The window before the main one: a slim header with the language switch, then either the
    enrollment wizard or the PIN pad."""

    def __init__(
        self, kind: str, content: QWidget, translations: Translations | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("gateWindow")
        self._kind = kind
        header = Header(translations, self)
        self.header = header
        self.app_label = QLabel(header)
        self.app_label.setObjectName("headerTitle")
        self.sub_label = QLabel(header)
        self.sub_label.setObjectName("headerRoom")
        header.add_title(self.app_label)
        header.add_title(self.sub_label)
        self.menu_button: QToolButton | None = None
        # Why the deployment file was not used: for whoever prepares the tablet.
        self.notice = QLabel(self)
        self.notice.setObjectName("noticeBanner")
        self.notice.setProperty("kind", "trouble")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._notice: DeploymentError | None = None
        self.content = content
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(header)
        box.addWidget(self.notice)
        box.addWidget(content, 1)
        fix_window_minimum(self, 640, 420)
        self.resize(1280, 800)
        self.retranslate()

    def show_deployment_error(self, problem: DeploymentError) -> None:
        self._notice = problem
        self.notice.show()
        self.retranslate()

    def notice_text(self) -> str:
        return "" if self.notice.isHidden() else self.notice.text()

    def kiosk_menu(self) -> QMenu:
        """In kiosk mode, a ⋯ menu in the header for the secretariat's exit (ui/kiosk.py)."""
        if self.menu_button is None:
            self.menu_button = QToolButton(self.header)
            self.menu_button.setObjectName("menuButton")
            self.menu_button.setText("⋯")
            self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            self.menu_button.setMenu(QMenu(self.menu_button))
            self.header.add_side(self.menu_button)
        menu = self.menu_button.menu()
        assert menu is not None
        return menu

    def retranslate(self) -> None:
        self.app_label.setText("Hemicycle")
        if self._kind == "secretary":
            self.sub_label.setText(self.tr("Secretariat console"))
        else:
            self.sub_label.setText(self.tr("Meeting documents and agenda"))
        self.setWindowTitle(f"Hemicycle — {self.sub_label.text()}")
        if self._notice is not None:
            self.notice.setText(errors.describe_deployment_error(self._notice))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AppController(QObject):
    """Owns the long-lived objects (network thread, bridge, windows) and their shutdown order."""

    def __init__(
        self,
        kind: str,
        profile: Profile,
        network: NetworkThread,
        translations: Translations,
        window_factory: WindowFactory,
        *,
        discover: bool = True,
        deployment: Deployment | None = None,
        deployment_error: DeploymentError | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.profile = profile
        self.network = network
        self.translations = translations
        self._factory = window_factory
        self._discover = discover
        self.deployment = deployment
        self.deployment_error = deployment_error
        self.gate: GateWindow | None = None
        self.browser: BrowserBridge | None = None
        self.bridge: ClientBridge | None = None
        self.window: QWidget | None = None
        exit_pin = deployment.exit_pin if deployment is not None else None
        self.kiosk: Kiosk | None = None
        if deployment is not None and deployment.kiosk.enabled and exit_pin is not None:
            self.kiosk = Kiosk(exit_pin, network, profile.home, parent=self)

    def start(self) -> None:
        if self.profile.is_enrolled():
            page = UnlockPage(self.network, self.profile)
            page.unlocked.connect(self.open_main)
            content: QWidget = page
        else:
            if self._discover:
                self.browser = BrowserBridge(self.network, parent=self)
            wizard = EnrollWizard(
                self.network,
                self.profile.home,
                kind=self.kind,
                browser=self.browser,
                preset=self._preset(),
            )
            wizard.enrolled.connect(self.open_main)
            content = wizard
        self.gate = GateWindow(self.kind, content, self.translations)
        if self.deployment_error is not None:
            self.gate.show_deployment_error(self.deployment_error)
        self._show(self.gate)

    def _preset(self) -> RoomPreset | None:
        """The deployment file's room, for the first start of a prepared tablet."""
        d = self.deployment
        if d is None or not (d.room.address or d.room.id):
            return None
        return RoomPreset(d.room.address, d.room_port, d.room_id)

    def _show(self, window: QWidget) -> None:
        """Maximised, or held full screen by the kiosk; without the language switch where
        the deployment file fixes the language."""
        if self.deployment is not None and self.deployment.language_locked:
            for switch in window.findChildren(LanguageSwitch):
                switch.hide()
        if self.kiosk is None:
            window.showMaximized()
            return
        if isinstance(window, KioskWindow):
            self.kiosk.offer_exit(window)
        self.kiosk.hold(window)

    def open_main(self, unlocked: Unlocked) -> None:
        """Swap the gate for the main window, and start talking to the room."""
        if self.browser is not None:
            self.browser.stop()
        self.bridge = ClientBridge(self.network, unlocked, parent=self)
        self.window = self._factory(self.bridge, unlocked.identity, self.translations)
        self._show(self.window)
        if self.gate is not None:
            if self.kiosk is not None:
                self.kiosk.let_go(self.gate)
            self.gate.close()
            self.gate.deleteLater()
            self.gate = None
        self.bridge.start()

    def quit(self) -> None:
        """Ctrl+C, SIGTERM (service managers, a shutting-down tablet): quit, kiosk or not."""
        if self.kiosk is not None:
            self.kiosk.let_go_all()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def shutdown(self) -> None:
        """Stop in dependency order: client (saves state), discovery, then the loop itself."""
        if self.bridge is not None:
            self.bridge.stop()
        if self.browser is not None:
            self.browser.stop(timeout=2.0)
        self.network.stop()


def parse_args(kind: str, argv: Sequence[str] | None) -> argparse.Namespace:
    prog = "hemicycle-console" if kind == "secretary" else "hemicycle"
    what = (
        "the secretariat's console of a Hemicycle room"
        if kind == "secretary"
        else "the delegate's app of a Hemicycle room: agenda and documents, online or offline"
    )
    parser = argparse.ArgumentParser(prog=prog, description=f"Hemicycle — {what}.")
    parser.add_argument(
        "--profile",
        default="console" if kind == "secretary" else "delegate",
        help="profile name: a sub-folder of $HEMICYCLE_HOME or the user data folder",
    )
    parser.add_argument(
        "--lang", choices=sorted(LANGUAGES), help="language of the screens (remembered)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    if kind != "secretary":
        parser.add_argument(
            "--deployment",
            metavar="FILE",
            help="the tablet's deployment file (room, language, kiosk); default: "
            "$HEMICYCLE_DEPLOYMENT, beside a packaged app, or /etc/hemicycle/deployment.toml "
            r"(Windows: %%ProgramData%%\Hemicycle\deployment.toml)",
        )
        parser.add_argument(
            "--hash-exit-pin",
            action="store_true",
            help="ask for the secretariat's kiosk exit PIN and print the lines of the "
            "deployment file that hold its hash, without a window",
        )
    parser.add_argument(
        "--import-bundle",
        metavar="FILE",
        help="import a document bundle (hemicycle-server doc bundle) into the profile and quit, "
        "without a window: for preparing devices",
    )
    return parser.parse_args(argv)


def import_bundle(home: Path, path: Path) -> int:
    """``--import-bundle``: for imaging scripts, so it prints and returns an exit status."""
    from app.bundle import BundleError, import_file

    try:
        header, added = import_file(home, path)
    except (BundleError, OSError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 2
    count = len(header.documents)
    print(
        f"{path}: {count} document{'' if count == 1 else 's'} of '{header.meeting_title}', "
        f"{added} new blobs; the keys come from the room on the next connection"
    )
    return 0


def set_start_language(
    translations: Translations, asked: str | None, deployment: Deployment | None
) -> None:
    """The language to start in: the command line's (remembered), else the deployment file's
    if delegates may not change it or have never chosen one, else the remembered choice or
    the system's (:meth:`Translations.initial_language`)."""
    first = asked
    if not asked and deployment is not None:
        given = deployment.language.default
        if given and (deployment.language_locked or translations.remembered() is None):
            first = given
    translations.set_language(translations.initial_language(first), remember=bool(asked))


def run_app(kind: str, window_factory: WindowFactory, argv: Sequence[str] | None = None) -> int:
    """Run one of the apps to completion; returns the process exit code."""
    from app.paths import default_home
    from app.profile import Profile

    args = parse_args(kind, sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if not args.verbose:
        logging.getLogger("zeroconf").setLevel(logging.WARNING)
        logging.getLogger("websockets").setLevel(logging.WARNING)
    home: Path = default_home(args.profile)
    if args.import_bundle:
        return import_bundle(home, Path(args.import_bundle))

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hemicycle")
    app.setOrganizationName("Hemicycle")
    apply_theme(app)
    translations = Translations(app, settings=settings_for(home), parent=app)
    deployment: Deployment | None = None
    problem: DeploymentError | None = None
    if kind != "secretary":
        from app.deployment import find

        deployment, problem = find(args.deployment, LANGUAGES)
    if problem is not None:
        log.error("deployment file not used: %s", problem)
    set_start_language(translations, args.lang, deployment)

    network = NetworkThread()
    network.start()
    controller = AppController(
        kind,
        Profile(home),
        network,
        translations,
        window_factory,
        deployment=deployment,
        deployment_error=problem,
    )
    app.aboutToQuit.connect(controller.shutdown)
    # Ctrl+C in a terminal and SIGTERM (service managers, the demo) quit cleanly through
    # aboutToQuit, so the client saves its state; a timer wakes the interpreter while Qt's
    # event loop runs so the Python handler gets a chance to run.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: controller.quit())
    wake = QTimer(app)
    wake.start(250)
    wake.timeout.connect(lambda: None)
    controller.start()
    return app.exec()
