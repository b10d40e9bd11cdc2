"""Drive the student's path in a real headless Chromium (Debian's), with Playwright.

A JupyterLab server (this venv's, loopback only, a token, the students' configuration: nbgrader's
Validate only) is started in its own process group and always stopped with its kernels. Failures leave a
screenshot, the page's HTML and the server log in ``test-artifacts/browser/``.
"""

import contextlib
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The students' JupyterLab configuration (one definition, shipped in the student copy).
STUDENT_CONFIG = ROOT / "jupyter-student"


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def save_artifacts(page, name, log=None):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content())
    if log and Path(log).exists():
        shutil.copy(log, ARTIFACTS / f"{name}-server.log")


@contextlib.contextmanager
def static_server(folder):
    """Serve ``folder`` on loopback; yield its base URL."""
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(folder), **k)  # noqa: E731
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Lab:
    """A JupyterLab server on loopback with a token, in its own process group."""

    def __init__(self, root, workdir):
        self.root, self.workdir = Path(root), Path(workdir)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.log = self.workdir / "server.log"
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, path, method="GET"):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def command(self, env):
        """How the server is started: this venv's JupyterLab with the students' configuration."""
        env["JUPYTER_CONFIG_PATH"] = env["JUPYTER_PATH"] = str(STUDENT_CONFIG)
        return [str(ROOT / ".venv" / "bin" / "jupyter"), "lab", *self.lab_args()], self.root

    def lab_args(self):
        return ["--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}"]

    def __enter__(self):
        # A fresh user: no ~/.jupyter settings, no IPython profile.
        home = self.workdir / "home"
        home.mkdir(exist_ok=True)
        venv_bin = ROOT / ".venv" / "bin"
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / ".jupyter"), HOME=str(home),
                   IPYTHONDIR=str(home / ".ipython"),
                   PATH=f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")
        argv, cwd = self.command(env)
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                self.api("/api/status")
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}")

    def delete_sessions(self):
        for s in self.api("/api/sessions") or []:
            with contextlib.suppress(OSError):
                self.api(f"/api/sessions/{s['id']}", method="DELETE")

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self.delete_sessions()
            for k in self.api("/api/kernels") or []:
                self.api(f"/api/kernels/{k['id']}", method="DELETE")
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class MakeLab(Lab):
    """JupyterLab as a student starts it: ``make lab`` in the student copy ``root``, whose ``.venv``
    is this repository's (linked; ``make -o`` skips the set-up a student's first run does)."""

    def command(self, env):
        venv = self.root / ".venv"
        if not venv.exists():
            venv.symlink_to(ROOT / ".venv")
        args = " ".join(self.lab_args()[:-1])  # make lab passes --notebook-dir itself
        return ["make", "-o", ".venv/.installed", "lab", f"LAB_ARGS={args}"], self.root


# The notebook on screen (earlier ones stay open, hidden, in their tabs).
ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def open_notebook(page, lab, relpath, workspace="student"):
    # A workspace of its own: the page opens with this notebook only, nothing restored from before.
    page.set_default_timeout(90_000)
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{relpath}?token={lab.token}")
    page.wait_for_selector(f"{ACTIVE} .jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(f'{ACTIVE} .jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)


def set_cell(page, index, text, markdown=False):
    """Replace cell ``index``'s text as a student would: click in, select all, type (paste)."""
    cell = page.locator(f"{ACTIVE} .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    if markdown:
        cell.dblclick()  # a rendered markdown cell opens its editor on double click
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def run_all(page, n_code_cells):
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # Done when some cells have run, none shows a running or queued prompt [*], and the kernel is
    # idle. (Run All stops at the first failing cell, so later cells may keep an empty prompt.)
    page.wait_for_function(
        """n => { const p = [...document.querySelectorAll(
                   '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
                 .map(e => e.textContent.trim());
                 return p.length >= n && p.some(t => /\\[\\d+\\]/.test(t))
                        && !p.some(t => t.includes("*")); }""",
        arg=n_code_cells, timeout=240_000)
    page.wait_for_selector(f'{ACTIVE} .jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=240_000)


def validate(page):
    """Press Validate; return the result dialog's text."""
    page.locator(f"{ACTIVE} .jp-ToolbarButtonComponent", has_text="Validate").first.click()
    dialog = page.wait_for_selector(".jp-Dialog", timeout=240_000)
    page.wait_for_function(
        "() => !document.querySelector('.jp-Dialog').innerText.includes('Validating')",
        timeout=240_000)
    text = dialog.inner_text()
    return text
