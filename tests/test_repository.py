"""Repository files that must agree with each other: HACS, the release, dev requirements, docs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from homeassistant.util.yaml import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
HACS_KEYS = {
    # HACS' own schema for hacs.json (hacs/integration, utils/validate.py): nothing else.
    "name",
    "content_in_root",
    "country",
    "filename",
    "hacs",
    "hide_default_branch",
    "homeassistant",
    "persistent_directory",
    "render_readme",
    "zip_release",
}


def test_hacs_installs_the_zip_the_release_builds() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert set(hacs) <= HACS_KEYS
    assert hacs["homeassistant"] == "2026.10.0"
    assert hacs["zip_release"] is True
    filename = hacs["filename"]
    workflow = parse_yaml((ROOT / ".github" / "workflows" / "release.yaml").read_text("utf-8"))
    assert isinstance(workflow, dict)
    jobs = workflow["jobs"]
    build = [step.get("run", "") for step in jobs["build"]["steps"]]
    # Zipped from inside the integration's folder: HACS unpacks it into custom_components/<domain>.
    assert any(
        "cd custom_components/grill_stats" in run and f"dist/{filename}" in run for run in build
    ), build
    release = " ".join(step.get("run", "") for step in jobs["github-release"]["steps"])
    assert "gh release create" in release
    assert "dist/*" in release


def test_dev_requirements_are_what_home_assistant_would_install() -> None:
    """requirements_dev.txt follows the installed Home Assistant: regenerate it on upgrades."""
    generated = subprocess.run(  # noqa: S603 - our own script, no shell
        [sys.executable, str(ROOT / "scripts" / "dev_requirements.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert generated == (ROOT / "requirements_dev.txt").read_text(encoding="utf-8")
    for pin in ("home-assistant-frontend==", "hassil==", "pyotp==", "SQLAlchemy=="):
        assert pin in generated


def test_readme_says_how_to_run_the_tests() -> None:
    """.ci/run runs the README's test command; development has its own page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/test" in readme.splitlines()
    assert "](docs/development.md)" in readme
    development = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    first_block = development.split("```bash\n", 1)[1].split("```", 1)[0]
    assert first_block.startswith("scripts/develop ")
    assert "\nscripts/test " in first_block


def test_documentation_links_point_into_the_repository() -> None:
    """Every link in the README and docs/ is relative and names a file that exists."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            assert not target.startswith(("http://", "https://", "/")), (page.name, target)
            path = target.partition("#")[0]
            if path:
                resolved = (page.parent / path).resolve()
                assert ROOT in resolved.parents, (page.name, target)
                assert resolved.exists(), (page.name, target)
