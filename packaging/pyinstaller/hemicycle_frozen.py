"""What a frozen Hemicycle executable runs before its program: the two children it starts.

A PyInstaller executable is not a Python interpreter, yet two parts of Hemicycle start a child
process with ``sys.executable``, which in a frozen build is the program itself:

* the reader's page renderer, ``sys.executable -B -m app.render_worker PID``
  (:func:`app.render.worker_command`), in the delegate app and the console;
* the server's PDF check, ``sys.executable -I -B -c CODE ROOT PID`` with ``CODE`` the
  one-liner :data:`server.pdfcheck._CHILD`, in ``hemicycle-server``.

Each launcher (``launch_*.py``) asks here first. These two command lines, exactly, are run as the
interpreter would run them; any other command line goes on to the program's own ``main()``, so
the frozen programs do not run arbitrary Python code given on their command line.
"""

from __future__ import annotations

import sys


def run_render_worker_if_asked() -> None:
    """Be the page renderer if started as one (and exit when it ends)."""
    argv = sys.argv[1:]
    if argv[:3] != ["-B", "-m", "app.render_worker"]:
        return
    from app import render_worker

    sys.argv = [render_worker.__file__ or "app.render_worker", *argv[3:]]
    render_worker.main()  # ends the process itself (os._exit)
    sys.exit(0)


def run_pdf_check_if_asked() -> None:
    """Be the server's PDF-checking child if started as one (and exit when it ends)."""
    argv = sys.argv[1:]
    if argv[:3] != ["-I", "-B", "-c"] or len(argv) < 4:
        return
    from server import pdfcheck

    code = argv[3]
    if code != pdfcheck._CHILD:
        sys.exit(f"{sys.argv[0]}: not a Python interpreter; see --help")
    sys.argv = ["-c", *argv[4:]]
    exec(compile(code, "<pdfcheck child>", "exec"), {"__name__": "__main__"})
    sys.exit(0)  # the child ends with os._exit; this is only reached if that changes
