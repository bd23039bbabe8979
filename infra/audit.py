"""`make audit`: known vulnerabilities in our dependencies (pip-audit) and in our code (bandit).

pip-audit audits two sets: the pinned runtime requirements (what ships in the Lambda package,
exactly as pinned, no resolution) and every package installed in the dev virtualenv
(transitive dependencies included). It needs a vulnerability database: PyPI's JSON API (the
default) or OSV. Where neither answers, pip-audit reports every package as "not found" and
"No known vulnerabilities", which would read as a clean bill of health; this script says
instead that the audit was skipped, and why. bandit scans ocr_core/ and handler/; a finding
that is not a problem carries `# nosec <test id>` with its reason on the same line.

Exit status: 1 if a vulnerability or a bandit finding is reported, else 0 (also when the
dependency audit had to be skipped: the message says so).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANDIT_TARGETS = ("ocr_core", "handler")


@dataclass
class AuditResult:
    label: str
    audited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    vulnerable: list[str] = field(default_factory=list)


def pip_audit(label: str, args: list[str]) -> AuditResult:
    command = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json", *args]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    result = AuditResult(label)
    try:
        report = json.loads(run.stdout or "{}")
    except json.JSONDecodeError:
        result.skipped.append(f"pip-audit failed: {run.stderr.strip().splitlines()[-1:] or run.returncode}")
        return result
    for dependency in report.get("dependencies", []):
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            result.skipped.append(name)
            continue
        result.audited.append(name)
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            result.vulnerable.append(f"{name}: {vuln['id']} (fixed in {fixes})")
    if not report.get("dependencies") and run.returncode != 0:
        result.skipped.append(f"pip-audit exited {run.returncode}: {run.stderr.strip()[-300:]}")
    return result


def report_dependencies(results: list[AuditResult]) -> bool:
    """Print what was audited; True if a vulnerability was found."""
    found = False
    for result in results:
        if result.vulnerable:
            found = True
            print(f"pip-audit [{result.label}]: {len(result.vulnerable)} known vulnerabilities")
            for line in result.vulnerable:
                print(f"  {line}")
        elif not result.audited:
            print(
                f"pip-audit [{result.label}]: SKIPPED: no vulnerability data for any of "
                f"{len(result.skipped)} packages (every lookup answered 'not found': the package index "
                "reachable from here does not serve PyPI's vulnerability JSON). "
                "Run `make audit` where pypi.org is reachable."
            )
        else:
            print(
                f"pip-audit [{result.label}]: {len(result.audited)} packages audited, "
                "no known vulnerabilities"
            )
            if result.skipped:
                print(f"  not audited ({len(result.skipped)}): {', '.join(result.skipped)}")
    return found


def bandit() -> bool:
    """Run bandit on our code; True if it reports anything."""
    command = [sys.executable, "-m", "bandit", "-q", "-r", *BANDIT_TARGETS]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if run.returncode == 0:
        print(f"bandit: no findings in {', '.join(BANDIT_TARGETS)} (justified ones carry # nosec)")
        return False
    print(run.stdout + run.stderr)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", default="requirements.txt", help="pinned runtime requirements")
    args = parser.parse_args(argv)
    results = [
        pip_audit("runtime, as pinned", ["-r", args.requirements, "--no-deps", "--disable-pip"]),
        pip_audit("dev environment", ["--skip-editable"]),
    ]
    vulnerable = report_dependencies(results)
    insecure = bandit()
    return 1 if vulnerable or insecure else 0


if __name__ == "__main__":
    sys.exit(main())
