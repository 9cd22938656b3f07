"""Apps import downward (issue 15): the contracts in .importlinter hold, and they cover every app."""

import configparser
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_import_contracts_are_kept():
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_every_apps_services_selectors_and_models_sit_in_a_layer():
    """A new app (or a new services module) must be placed in the layering, not left outside it."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layered = config["importlinter:contract:kinds"]["layers"].replace(":", " ").replace("|", " ").split()
    apps = [p.parent.name for p in (ROOT / "chibo").glob("*/apps.py") if p.parent.name not in {"core", "demo"}]
    expected = {
        f"chibo.{app}.{kind}"
        for app in apps
        for kind in ("services", "selectors", "models", "views", "api")
        if (ROOT / "chibo" / app / f"{kind}.py").exists()
    }
    assert len(expected) > 60
    assert expected - set(layered) == set()
