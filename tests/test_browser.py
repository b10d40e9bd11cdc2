"""The student's path in a real browser: the built lectures, and Validate in JupyterLab.

Needs Debian's chromium (``.ci/run`` installs it). Without it the tests skip, saying why; with
CI=true they fail instead. The JupyterLab test walks the student copy (``course student-copy``).
"""

import shutil
import subprocess
import sys
import tempfile
import urllib.error
from pathlib import Path

import pytest
from browser import (
    ACTIVE,
    ARTIFACTS,
    MakeLab,
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
ARTIFACTS_DIR = ARTIFACTS
ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)

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


def layout(nb):
    answers = {i: nbk.meta(c)["grade_id"] for i, c in enumerate(nb["cells"]) if nbk.is_answer(c)}
    written = [i for i, c in enumerate(nb["cells"])
               if c["cell_type"] == "markdown" and nbk.meta(c).get("solution")]
    n_code = sum(c["cell_type"] == "code" for c in nb["cells"])
    return answers, written, n_code


def git(folder, *args):
    return subprocess.run(["git", "-c", "user.name=student", "-c", "user.email=s@example.org", *args],
                          cwd=folder, capture_output=True, text=True, timeout=60, check=True).stdout


def in_viewport(page, text):
    """True when an element showing ``text`` lies inside the visible window (no scrolling needed)."""
    box = page.get_by_text(text[:60], exact=False).last.bounding_box()
    view = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= view["height"]


ASSIGNMENT = "03_metropolis"
BUG = "bug_stores_proposal_on_rejection"


def test_student_copy_in_jupyterlab(tmp_path):
    """The student's path in the student copy, JupyterLab started by its `make lab`: questions are
    readable, no instructor tool is there, opening and saving changes nothing in git, Validate on a
    Metropolis that stores the proposal on rejections shows the teaching message in view, and the
    fixed Metropolis gets Success."""
    assert chromium(), "CI=true but no chromium: .ci/run should have installed it"
    base = Path(tempfile.mkdtemp(prefix="browser-", dir="/var/tmp" if Path("/var/tmp").is_dir() else None))
    copy = base / "course"
    try:
        proc = subprocess.run([sys.executable, "-m", "course", "student-copy", str(copy)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        git(copy, "init", "-q")
        git(copy, "add", "-A")
        git(copy, "commit", "-qm", "student copy")
        relpath = f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        nb = nbk.load(copy / relpath)
        answers_at, written, n_code = layout(nb)
        question = nbk.source(nb["cells"][written[0] - 1]).split("**", 2)[-1].strip().splitlines()[0]
        bug = (ROOT / "tests" / "corpus" / ASSIGNMENT / f"{BUG}.py").read_text()
        wrong = nbk.submission_answers(ASSIGNMENT, bug)
        message = next(e for e in nbk.run_in_process(ASSIGNMENT, wrong, visible_only=True).values() if e)
        message = message.split(": ", 1)[1]
        with MakeLab(copy, tmp_path) as lab, browser() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            try:
                # Open a lecture and the exercise without editing: the kernel's metadata leaves them
                # unmodified (so autosave writes nothing), and saving the exercise changes nothing.
                for path in ("lectures/03_metropolis.ipynb", relpath):
                    open_notebook(page, lab, path, workspace="look")
                    page.wait_for_timeout(3000)
                    assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0, f"{path} became modified"
                page.keyboard.press("Control+s")
                page.wait_for_timeout(2000)
                lab.delete_sessions()
                status = git(copy, "status", "--porcelain")
                assert status == "", f"opening and saving changed: {status}\n{git(copy, 'diff')[:3000]}"
                # No instructor tools: no Nbgrader menu, no Create Assignment panel, no formgrader.
                assert page.get_by_role("menuitem", name="Nbgrader").count() == 0
                assert page.locator("#create_assignment, .nbgrader-CreateAssignmentWidget").count() == 0
                assert "Create Assignment" not in page.locator(".jp-SideBar").all_inner_texts().__str__()
                try:
                    lab.api("/formgrader")
                    raise AssertionError("the formgrader answers in the student JupyterLab")
                except urllib.error.HTTPError as exc:
                    assert exc.code == 404
                # A fresh page and kernel on the exercise, as after reopening it.
                page.close()
                page = b.new_page(viewport={"width": 1400, "height": 1000})
                open_notebook(page, lab, relpath, workspace="student")
                # The written question is on the page.
                cell = page.locator(f"{ACTIVE} .jp-Notebook .jp-Cell").nth(written[0] - 1)
                cell.scroll_into_view_if_needed()
                # JupyterLab renders a markdown cell once it is scrolled to: wait for it (up to 30 s).
                shown = cell.locator(".jp-RenderedMarkdown").get_by_text(question[:50])
                try:
                    shown.wait_for(state="visible", timeout=30_000)
                except Exception:
                    raise AssertionError(f"the written question is not shown: {question}") from None
                # The buggy Metropolis: a failure dialog whose teaching message is in view.
                for index, gid in answers_at.items():
                    set_cell(page, index, wrong[gid])
                for index in written:
                    set_cell(page, index, "My own words: see the lecture.", markdown=True)
                run_all(page, n_code)
                text = validate(page)
                page.screenshot(path=str(ARTIFACTS_DIR / "validate-failure.png"))
                assert "Success" not in text and "failed" in text, text[:2000]
                assert " ".join(message.split()) in " ".join(text.split()), (message, text[:3000])
                last = message.splitlines()[-1]
                assert in_viewport(page, last), "the teaching message needs scrolling"
                # Nothing to scroll: neither the page nor the dialog's boxes (nbgrader's error box
                # scrolls on its own when the traceback is long).
                assert page.evaluate("""() => [...document.querySelectorAll('.jp-Dialog pre')]
                                         .every(e => e.scrollWidth <= e.clientWidth + 1
                                                     && e.scrollHeight <= e.clientHeight + 1)"""), (
                    "the teaching message needs scrolling inside the dialog")
                page.locator(".jp-Dialog button", has_text="Ok").first.click()
                # The fixed Metropolis: Success.
                fixed = nbk.answer_sources(ASSIGNMENT)
                for index, gid in answers_at.items():
                    set_cell(page, index, fixed[gid])
                run_all(page, n_code)
                text = validate(page)
                assert "Success" in text, text[:2000]
                page.locator(".jp-Dialog button", has_text="Ok").first.click()
                lab.delete_sessions()
            except Exception:
                save_artifacts(page, f"lab-{ASSIGNMENT}", lab.log)
                raise
    finally:
        shutil.rmtree(base, ignore_errors=True)
