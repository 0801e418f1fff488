"""Fail when any measured module is below the coverage floor (coverage checks only the total).

Reads the ``.coverage`` data the test run left and the floor from setup.cfg's
``[coverage:report] fail_under``, so the floor is set in one place.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import coverage


def main() -> int:
    """Print the modules under the floor; exit 1 if there are any."""
    cov = coverage.Coverage()
    cov.load()
    floor = float(str(cov.get_option("report:fail_under") or 0))
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "coverage.json"
        cov.json_report(outfile=str(report))
        files = json.loads(report.read_text(encoding="utf-8"))["files"]
    below = {
        name: entry["summary"]["percent_covered"]
        for name, entry in sorted(files.items())
        if entry["summary"]["percent_covered"] < floor
    }
    for name, percent in below.items():
        print(f"{name}: {percent:.1f} % < {floor:g} %")
    if not below:
        print(f"all {len(files)} modules are at or above {floor:g} %")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
