"""The package as a reader installs it: `pip install .` into a fresh virtual environment gives a
`timeline` command that works from any folder and a package that carries the page's assets.

Slow (pip installs the dependencies into a new environment, from the package registry or pip's
cache), and run by CI with the rest: nothing deselects the ``slow`` marker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow
# What is not the package's source: the test copies the checkout without these, so that pip's
# build leaves nothing behind in the working tree.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                    ".pytest_cache", "tmp", "docs")
# Run inside the installed environment, from a folder with no checkout: where the package and its
# assets are, and what the page links and serves.
PROBE = """
import json, re, sys
import timeline, timeline.app
app = timeline.app.create_app("events.csv")
client = app.server.test_client()
index = client.get("/").get_data(as_text=True)
served = {}
for href in re.findall(r'(?:href|src)="(/assets/[^"?]+)', index):
    response = client.get(href)
    served[href.removeprefix("/assets/")] = [response.status_code, response.get_data().decode("utf-8")]
print(json.dumps({"package": timeline.__file__, "assets": timeline.app.ASSETS, "served": served}))
"""


def clean_env() -> dict[str, str]:
    """The environment without anything that would let the checkout's own package be imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(args, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def probe(venv: Path, folder: Path) -> dict:
    return json.loads(run([venv / "bin" / "python", "-c", PROBE], folder).stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment with the package installed from a copy of this checkout (not editable)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    venv = work / "venv"
    run([sys.executable, "-m", "venv", venv], work)
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", source], work, timeout=1500)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    for name in ("events.csv", "actors.csv"):
        shutil.copy(ROOT / name, elsewhere / name)
    return venv, source, elsewhere


def test_timeline_command_checks_a_file_from_another_folder(installed):
    venv, _, elsewhere = installed
    command = run([venv / "bin" / "timeline", "check", "events.csv"], elsewhere)
    assert command.stdout.strip().splitlines()[-1].startswith("events.csv: ")
    assert " events" in command.stdout.strip().splitlines()[-1]
    module = run([venv / "bin" / "python", "-m", "timeline", "check", "events.csv"], elsewhere)
    assert module.stdout == command.stdout
    usage = run([venv / "bin" / "timeline", "--help"], elsewhere)
    assert usage.stdout.startswith("Usage: timeline ")
    for name in ("serve", "check", "normalize", "export", "add"):
        assert f"  {name} " in usage.stdout


def test_installed_package_carries_and_serves_the_assets(installed):
    venv, source, elsewhere = installed
    found = probe(venv, elsewhere)
    package = Path(found["package"]).parent
    assert package.is_relative_to(venv), f"imported {package}, not the installed package"
    assets = Path(found["assets"])
    assert assets == package / "assets"
    ours = sorted(p.name for p in (source / "assets").iterdir() if p.is_file())
    assert ours and sorted(p.name for p in assets.iterdir() if p.is_file()) == ours
    for name in ours:
        assert (assets / name).read_bytes() == (source / "assets" / name).read_bytes()
    linked = sorted(found["served"])
    assert linked == sorted(n for n in ours if n.endswith((".css", ".js")))
    for name, (status, text) in found["served"].items():
        assert status == 200
        assert text == (source / "assets" / name).read_text(encoding="utf-8")


def test_every_module_of_the_checkout_is_installed(installed):
    # pyproject lists the packages by name, so a new subpackage left off the list shows here.
    venv, source, elsewhere = installed
    names = sorted(".".join(p.relative_to(source).with_suffix("").parts).removesuffix(".__init__")
                   for p in (source / "timeline").rglob("*.py")
                   if "__pycache__" not in p.parts and p.name != "__main__.py")
    script = ("import importlib, json, sys; "
              "print(json.dumps({n: importlib.import_module(n).__file__ for n in sys.argv[1:]}))")
    found = json.loads(run([venv / "bin" / "python", "-c", script, *names], elsewhere).stdout.splitlines()[-1])
    assert "timeline.figure" in found and "timeline.app" in found
    assert sorted(found) == names
    assert all(Path(path).is_relative_to(venv) for path in found.values()), found


def test_editable_install_finds_the_checkout_assets(installed):
    venv, source, elsewhere = installed
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", source], elsewhere,
        timeout=600)
    try:
        found = probe(venv, elsewhere)
        assert Path(found["package"]).parent == source / "timeline"
        assert Path(found["assets"]) == source / "assets"
        assert found["served"] and all(status == 200 for status, _ in found["served"].values())
        run([venv / "bin" / "timeline", "check", "events.csv"], elsewhere)
    finally:
        # The other tests of this module expect the plain install.
        run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
             source], elsewhere, timeout=600)
