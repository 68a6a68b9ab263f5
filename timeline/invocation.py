"""The command that runs `timeline` again, written as the person who started this process can type it.

Messages that name a command to run next (``restore``, ``check``) must work where they are read:
``python -m timeline`` fails outside the venv that has the package, and a bare ``timeline`` fails
when the venv's ``bin`` is not on PATH, which the README's set-up never asks for.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys


def command() -> str:
    """``timeline`` when that is on PATH and is this program; else the path it was started by
    (``.venv/bin/timeline``); ``.venv/bin/python -m timeline`` when started so. A server (gunicorn)
    or a test names the ``timeline`` script next to its Python, which is the same program."""
    argv0 = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.path.basename(argv0) == "__main__.py" and os.path.basename(os.path.dirname(argv0)) == "timeline":
        return f"{_typed(sys.executable)} -m timeline"
    if os.path.basename(argv0) == "timeline" and os.path.isfile(argv0):
        return _typed(argv0)
    script = os.path.join(os.path.dirname(sys.executable), "timeline")
    if os.path.isfile(script):
        return _typed(script)
    return f"{_typed(sys.executable)} -m timeline"


def _typed(path: str) -> str:
    """``path`` as short as it can be typed from the current folder: its name when PATH finds the
    same file, relative when it is below the folder, else absolute."""
    name = os.path.basename(path)
    found = shutil.which(name)
    # The folders, not the files: a venv's python is a link to the system's, which PATH may find.
    if found and os.path.realpath(os.path.dirname(found)) == os.path.realpath(os.path.dirname(path)):
        return shlex.quote(name)
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        relative = path
    shown = path if relative.startswith(os.pardir) else relative
    if os.sep not in shown:  # a bare name would be looked up on PATH, not here
        shown = os.path.join(os.curdir, shown)
    return shlex.quote(shown)
