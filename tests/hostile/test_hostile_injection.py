"""Script injection through names: a scenario and a saved comparison named like HTML reach
the report as text, never as markup (a saved comparison's export is the same report)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.cli import invoke_l2c

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"


def test_names_are_text_in_the_html_report(workdir: Path) -> None:
    scenario = workdir / "inject.yaml"
    scenario.write_text(f'name: "{SCRIPT}"\nchanges:\n  - volume: {{scale: 1.1}}\n',
                        encoding="utf-8")
    run = invoke_l2c("compare", "model.json", scenario, "--reps", "2", "--days", "30",
                     "--jobs", "1", "--format", "html", "-o", "report.html", "--save", IMAGE,
                     cwd=workdir, label="compare: script and image tags as names")
    assert run.code == 0, run.stderr
    run.assert_bounded()
    text = (workdir / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)" in text and "&lt;img src=x" in text
    assert SCRIPT not in text and IMAGE not in text
