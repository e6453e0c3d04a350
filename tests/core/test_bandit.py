"""Static security analysis: bandit over the portal's code finds nothing of medium or high severity
that is not explained where it is accepted (`# nosec BXXX: reason`)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["portal", "search", "media", "config"]


def test_bandit_finds_no_unexplained_medium_or_high_issue():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *PACKAGES, "-x", "portal/migrations",
         "--severity-level", "medium", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    assert not report.get("errors"), report["errors"]
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_severity']}: {r['issue_text']}"
                for r in report["results"]]
    assert findings == []


def test_every_accepted_finding_says_why():
    unexplained = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "# nosec" in line and not re.search(r"# nosec B\d{3}(, ?B\d{3})*: \S", line):
                    unexplained.append(f"{path.relative_to(ROOT)}:{number}")
    assert unexplained == []
