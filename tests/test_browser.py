"""The student's path in a real browser: the built lectures, and Validate in JupyterLab.

Needs Debian's chromium (``.ci/run`` installs it). Without it the tests skip, saying why; with
CI=true they fail instead. One assignment in CI; ``BROWSER_ALL=1`` runs all five.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import (
    Lab,
    browser,
    chromium,
    open_notebook,
    run_all,
    save_artifacts,
    set_cell,
    static_server,
    validate,
)

from conftest import IN_CI
from course import notebooks as nbk

ROOT = nbk.ROOT
PRESENT = [a for a in nbk.ASSIGNMENTS if (ROOT / "exercises" / a / f"{a}.ipynb").exists()]
CHOSEN = PRESENT if os.environ.get("BROWSER_ALL") else PRESENT[:1]

pytestmark = [
    pytest.mark.skipif(not chromium() and not IN_CI,
                       reason="no Chromium here (Debian: apt-get install chromium); with CI=true "
                              "this test fails instead of skipping"),
    pytest.mark.xdist_group("browser"),
]


def test_built_site_pages_load_with_figures_math_and_links():
    assert chromium(), "CI=true but no chromium: .ci/run should have installed it"
    proc = subprocess.run([sys.executable, "-m", "course", "build", "--site-only"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    build = ROOT / "build"
    lectures = sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))
    with static_server(build) as base, browser() as b:
        page = b.new_page()
        page.goto(f"{base}/index.html")
        links = page.eval_on_selector_all("ol a", "as => as.map(a => a.getAttribute('href'))")
        assert links == [f"lectures/{p.stem}.html" for p in lectures]
        for link, lecture in zip(links, lectures, strict=True):
            has_math = any(c["cell_type"] == "markdown" and "$" in nbk.source(c)
                           for c in nbk.load(lecture)["cells"])
            try:
                resp = page.goto(f"{base}/{link}")
                assert resp.status == 200, link
                imgs = page.eval_on_selector_all(
                    "img", "is => is.map(i => i.complete && i.naturalWidth > 0)")
                assert imgs and all(imgs), f"{link}: {imgs.count(False)} of {len(imgs)} images broken"
                if has_math:
                    # Wait until MathJax has emptied its queue, then look at the result.
                    page.wait_for_function(
                        "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue"
                        " && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running", timeout=60_000)
                    page.wait_for_function(
                        "() => document.querySelectorAll('.MathJax, .MathJax_CHTML, .MathJax_SVG,"
                        " mjx-container').length > 0", timeout=60_000)
                    assert page.locator(".MathJax_Error, merror").count() == 0, f"{link}: math errors"
                hrefs = page.eval_on_selector_all(
                    "a[href]", "as => as.map(a => a.href).filter(h => h.startsWith(location.origin))")
                for h in {h.split("#")[0] for h in hrefs}:
                    assert page.request.get(h).status == 200, f"{link}: broken link {h}"
            except Exception:
                save_artifacts(page, f"site-{Path(link).stem}")
                raise


def layout(assignment):
    nb = nbk.load(ROOT / "exercises" / assignment / f"{assignment}.ipynb")
    answers = {i: nbk.meta(c)["grade_id"] for i, c in enumerate(nb["cells"]) if nbk.is_answer(c)}
    written = [i for i, c in enumerate(nb["cells"])
               if c["cell_type"] == "markdown" and nbk.meta(c).get("solution")]
    n_code = sum(c["cell_type"] == "code" for c in nb["cells"])
    return answers, written, n_code


def wrong_submission(assignment):
    """A corpus bug that a visible test catches, and that test's message (what Validate shows)."""
    visible = {gid for gid, _, src in nbk.test_cells(assignment) if nbk.BEGIN_HIDDEN not in src}
    for path in sorted((ROOT / "tests" / "corpus" / assignment).glob("bug_*.py")):
        answers = nbk.submission_answers(assignment, path.read_text())
        failed = {g: e for g, e in nbk.run_in_process(assignment, answers).items() if e and g in visible}
        if failed:
            gid, err = next(iter(failed.items()))
            return answers, gid, err.split(": ", 1)[-1]
    pytest.skip(f"no corpus bug of {assignment} fails a visible test")


@pytest.mark.parametrize("assignment", CHOSEN)
def test_validate_in_jupyterlab(assignment, tmp_path):
    assert chromium(), "CI=true but no chromium: .ci/run should have installed it"
    answers_at, written, n_code = layout(assignment)
    reference = nbk.answer_sources(assignment)
    wrong, wrong_cell, wrong_message = wrong_submission(assignment)
    root = tmp_path / "student"
    for case in ("correct", "wrong"):
        shutil.copytree(ROOT / "exercises" / assignment, root / case)
    with Lab(root, tmp_path) as lab, browser() as b:
        for case, answers in (("correct", reference), ("wrong", wrong)):
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            try:
                open_notebook(page, lab, f"{case}/{assignment}.ipynb", workspace=case)
                for index, gid in answers_at.items():
                    set_cell(page, index, answers[gid])
                for index in written:
                    set_cell(page, index, "My own words: see the lecture.", markdown=True)
                run_all(page, n_code)
                text = validate(page)
                if case == "correct":
                    assert "Success" in text, text[:2000]
                else:
                    assert "Success" not in text and "failed" in text, text[:2000]
                    assert wrong_message[:60] in text, (wrong_cell, wrong_message[:200], text[:2000])
                page.locator(".jp-Dialog button", has_text="Ok").first.click()
                lab.delete_sessions()
                page.close()
            except Exception:
                save_artifacts(page, f"lab-{assignment}-{case}", lab.log)
                raise
