"""The lectures as a web site and as reveal.js slide decks, both readable offline.

Front-end assets come from pinned npm packages (``package.json`` and ``package-lock.json`` at the
root; ``npm ci`` installs them into ``node_modules/``, which :func:`ensure_assets` does when they
are missing) and are copied into ``build/``, so no page asks a CDN for anything:

- MathJax 2.7.9 with its TeX fonts (the ``jupyter_server_mathjax`` copy the site used before ships
  only STIX-Web fonts, so MathJax's default TeX font requests 404ed: upright variables, and the
  dots of ``\\dot q`` on a line of their own);
- reveal.js 4.6.0 (the major version nbconvert's reveal template is written for), and require.js
  and jQuery, which nbconvert's templates load (from a CDN by default).

Slides are nbconvert's slides exporter run on a copy of each lecture whose cells get a slide type
derived here (:func:`derive_slide_types`), so that the lectures need no hand tagging: a cell with
a ``#``/``##`` heading starts a slide, a ``###`` heading a sub-slide, long code is skipped (its
figures are kept, on a fragment of their own), and a cell that already has ``slideshow`` metadata
keeps it.
"""

import copy
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .notebooks import ROOT, load

BUILD = ROOT / "build"
ASSETS = ROOT / "node_modules"
PACKAGES = {"mathjax": "MathJax.js", "reveal.js": "dist/reveal.js", "requirejs": "require.js",
            "jquery": "dist/jquery.min.js"}
# MathJax 2's combined configuration; local/html is written by copy_mathjax.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe,local/html"
LOCAL_CONFIG = """\
/* Written by course/site.py. HTML-CSS output with MathJax's own TeX web fonts, shipped in this
   folder: never the reader's installed fonts (which differ between machines), never the image
   fonts (not shipped), never native MathML (Chromium's misplaces accents). */
MathJax.Hub.Config({
  menuSettings: {renderer: "HTML-CSS"},
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "TeX", imageFont: null}
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/html.js");
"""
LONG_CODE_LINES = 12  # a code cell longer than this is not shown on a slide (its output is)
NOTES_WORDS = 150  # prose longer than this (without a heading) goes to the speaker notes


def mathjax_url(depth=1):
    """MathJax's URL relative to a page ``depth`` folders below ``build/``."""
    return "../" * depth + f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"


def ensure_assets():
    """Install the pinned front-end packages with ``npm ci`` if they are not in node_modules/."""
    if all((ASSETS / pkg / probe).exists() for pkg, probe in PACKAGES.items()):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("the site needs MathJax and reveal.js from npm: install Node.js and npm "
                           "(Debian: apt-get install npm), then run `npm ci` in the repository")
    proc = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"npm ci failed:\n{proc.stderr[-2000:]}")


def _mathjax_ignore(folder, names):
    """Skip what the pages never load (32 MB -> about 6 MB): the unpacked sources and tests, the
    SVG output and every font family but TeX, the TeX fonts' image, SVG and EOT variants
    (browsers load WOFF; OTF kept for the rest), and the combined configurations not used."""
    here = Path(folder)
    skip = {"unpacked", "test", "docs"} & set(names)
    parts = here.parts
    if here.name == "output" and parts[-2:] == ("jax", "output"):
        skip |= {"SVG"} & set(names)
    if here.name == "fonts":  # fonts/HTML-CSS/<family>, jax/output/<jax>/fonts/<family>
        skip |= {n for n in names if n not in ("HTML-CSS", "TeX")}
    if here.name == "HTML-CSS" and here.parent.name == "fonts":
        skip |= {n for n in names if n != "TeX"}
    if here.name == "TeX" and here.parent.name == "HTML-CSS" and here.parent.parent.name == "fonts":
        skip |= {n for n in names if n not in ("woff", "otf")}
    if here.name == "config" and here.parent.name == "mathjax":
        keep = {f"{MATHJAX_CONFIG.split(',')[0]}.js", "Safe.js", "local"}
        skip |= {n for n in names if n not in keep}
    return skip


def _replace_tree(dest, fill):
    """Replace the folder ``dest`` by one that ``fill(tmp)`` writes, without ever deleting a folder
    in place: a rebuild while an earlier build's files are still open or being served (a test's
    static server, a browser) failed with "Directory not empty"."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-new-", dir=dest.parent))
    tmp.rmdir()
    fill(tmp)
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}-old-", dir=dest.parent))
        dest.rename(old / dest.name)
        shutil.rmtree(old, ignore_errors=True)
    tmp.rename(dest)


def copy_mathjax(build=BUILD):
    """MathJax 2.7.9 with its TeX fonts into ``build/mathjax``, configured by local/html.js."""
    ensure_assets()
    dest = Path(build) / "mathjax"
    _replace_tree(dest, lambda tmp: shutil.copytree(ASSETS / "mathjax", tmp, ignore=_mathjax_ignore))
    local = dest / "config" / "local"
    local.mkdir(parents=True, exist_ok=True)
    (local / "html.js").write_text(LOCAL_CONFIG)
    return dest


def copy_site_assets(build=BUILD):
    """What the lecture pages load: MathJax (:func:`copy_mathjax`) and require.js (nbconvert's lab
    template loads it on every page; its default is a CDN)."""
    copy_mathjax(build)
    shutil.copy(ASSETS / "requirejs" / "require.js", Path(build) / "require.js")


def copy_reveal(build=BUILD):
    """reveal.js (dist/ and the speaker-notes plugin), require.js and jQuery into ``build/slides``."""
    ensure_assets()
    dest = Path(build) / "slides"
    reveal = dest / "reveal.js"

    def fill(tmp):
        shutil.copytree(ASSETS / "reveal.js" / "dist", tmp / "dist")
        shutil.copytree(ASSETS / "reveal.js" / "plugin" / "notes", tmp / "plugin" / "notes")

    _replace_tree(reveal, fill)
    shutil.copy(ASSETS / "requirejs" / "require.js", dest / "require.js")
    shutil.copy(ASSETS / "jquery" / "dist" / "jquery.min.js", dest / "jquery.min.js")
    # nbconvert's reveal template imports Mermaid unconditionally; no lecture has a diagram, so a
    # stub module stands in for the 3 MB library (and for its CDN).
    (dest / "mermaid-stub.mjs").write_text(
        "// Written by course/site.py: the lectures have no Mermaid diagrams.\n"
        "export default { initialize() {} };\n")
    return dest


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _has_figure(cell):
    return any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
               for o in cell.get("outputs", []))


def slide_type(cell, first=False):
    """The reveal.js slide type this module gives a cell that has no ``slideshow`` metadata.

    ``#``/``##`` heading: "slide"; ``###``: "subslide"; other prose: a "fragment" of the current
    slide, or the speaker "notes" when longer than NOTES_WORDS words; code longer than
    LONG_CODE_LINES: "skip" unless it draws a figure (then its input is hidden and its figure is a
    "fragment"); short code: "fragment"; empty cells: "skip".
    """
    src = _source(cell).strip()
    if first:
        return "slide"
    if not src:
        return "skip"
    if cell["cell_type"] == "markdown":
        head = src.splitlines()[0]
        if head.startswith(("# ", "## ")):
            return "slide"
        if head.startswith("### "):
            return "subslide"
        return "notes" if len(src.split()) > NOTES_WORDS else "fragment"
    if cell["cell_type"] == "code":
        if len(src.splitlines()) > LONG_CODE_LINES and not _has_figure(cell):
            return "skip"
        return "fragment"
    return "skip"


def split_prose(cell):
    """A markdown cell as several, one per paragraph (a heading stays with the paragraph after
    it), so that each can be a slide of its own, a fragment or a note."""
    paragraphs, current, in_math = [], [], False
    for line in _source(cell).splitlines():
        if line.strip().startswith("$$") and line.strip().count("$$") == 1:
            in_math = not in_math  # a display equation spread over lines is one block
        if not line.strip() and not in_math:
            if current:
                paragraphs.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        paragraphs.append("\n".join(current))
    groups = []  # a heading travels with the paragraph after it
    for para in paragraphs:
        if groups and groups[-1].lstrip().startswith("#") and "\n\n" not in groups[-1]:
            groups[-1] += "\n\n" + para
        else:
            groups.append(para)
    if len(groups) <= 1:
        return [cell]
    out = [{**copy.deepcopy(cell), "source": groups[0]}]
    out += [{"cell_type": "markdown", "id": f"{cell.get('id', 'cell')}-{k}", "metadata": {}, "source": g}
            for k, g in enumerate(groups[1:], start=1)]
    return out


def prose_slide_type(paragraph):
    """A later paragraph of a long cell: equations and lists stay on the slide (fragments), a
    paragraph of prose is what the speaker says (notes)."""
    text = paragraph.strip()
    if "$$" in text or text.startswith(("- ", "* ", "1. ", "**Exercise")):
        return "fragment"
    return "notes"


def derive_slide_types(nb):
    """A copy of notebook ``nb`` (a dict) tagged for a talk; explicit ``slideshow`` metadata wins.

    Cells without it: see :func:`slide_type`; markdown cells are first split into paragraphs
    (:func:`split_prose`) so that a long explanation becomes slide, equations and notes. Long code
    cells that draw a figure keep the figure and lose their input (``remove_input`` tag); widget
    views (no widget runtime in a static deck) are dropped.
    """
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("widgets", None)
    cells = []
    for i, cell in enumerate(nb["cells"]):
        meta = cell.setdefault("metadata", {})
        if "slide_type" in meta.get("slideshow", {}):
            cells.append(cell)
            continue
        if cell["cell_type"] == "markdown":
            parts = split_prose(cell)
            first = slide_type(parts[0], first=i == 0)
            parts[0].setdefault("metadata", {})["slideshow"] = {"slide_type": first}
            for part in parts[1:]:
                kind = slide_type(part) if _source(part).lstrip().startswith("#") else None
                part["metadata"]["slideshow"] = {"slide_type": kind or prose_slide_type(_source(part))}
            cells.extend(parts)
            continue
        if cell["cell_type"] == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]
            if len(_source(cell).strip().splitlines()) > LONG_CODE_LINES and _has_figure(cell):
                meta.setdefault("tags", [])
                if "remove_input" not in meta["tags"]:
                    meta["tags"].append("remove_input")
        meta["slideshow"] = {**meta.get("slideshow", {}), "slide_type": slide_type(cell, first=i == 0)}
        cells.append(cell)
    nb["cells"] = cells
    return nb


def without_widget_views(nb):
    """A copy of ``nb`` without widget views and widget state: a static page has no widget
    runtime, so they would only make the page fetch one from a CDN. The static figure stays."""
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]
    return nb


def export_slides(path, out_dir):
    """Write ``out_dir/<stem>.slides.html``: one lecture as an offline reveal.js deck."""
    import nbformat
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    nb = nbformat.reads(json.dumps(derive_slide_types(load(path))), as_version=4)
    cfg = Config()
    cfg.SlidesExporter.reveal_url_prefix = "reveal.js"
    cfg.SlidesExporter.reveal_theme = "white"  # its fonts are local; "simple" imports web fonts
    cfg.SlidesExporter.reveal_scroll = True  # a tall figure or table scrolls instead of being cut
    cfg.SlidesExporter.require_js_url = "require.js"
    cfg.SlidesExporter.jquery_url = "jquery.min.js"
    cfg.SlidesExporter.mathjax_url = mathjax_url(depth=1)
    cfg.TagRemovePreprocessor.enabled = True
    cfg.TagRemovePreprocessor.remove_input_tags = ("remove_input",)
    exporter = SlidesExporter(config=cfg)
    exporter.mermaid_js_url = "./mermaid-stub.mjs"  # not a configurable trait in nbconvert 7.17
    body, _ = exporter.from_notebook_node(nb)
    out = Path(out_dir) / f"{Path(path).stem}.slides.html"
    out.write_text(body)
    return out


def build_slides(paths, build=BUILD):
    """Every lecture as ``build/slides/<stem>.slides.html`` with reveal.js and MathJax beside."""
    copy_mathjax(build)
    out_dir = copy_reveal(build)
    outs = [export_slides(p, out_dir) for p in paths]
    items = "\n".join(f'<li><a href="{o.name}">{o.stem.removesuffix(".slides")}</a></li>' for o in outs)
    (out_dir / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Slides</title></head>"
        f"<body><h1>Bayesian inference by sampling: slides</h1><ol>{items}</ol></body></html>\n")
    return outs


def lecture_html(path, html_dir, execute, jupyter):
    """One lecture as ``html_dir/<stem>.html`` (executed first if ``execute``), with the local
    MathJax and without widget views; ``jupyter(*args)`` runs a ``jupyter`` subcommand."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        copy_ = Path(tmp) / path.name
        shutil.copy(path, copy_)
        if execute:
            proc = jupyter("nbconvert", "--to", "notebook", "--inplace", "--execute",
                           "--ExecutePreprocessor.timeout=600",
                           "--ExecutePreprocessor.kernel_name=python3", str(copy_))
            if proc.returncode != 0:
                return proc
        copy_.write_text(json.dumps(without_widget_views(load(copy_)), indent=1, ensure_ascii=False))
        return jupyter("nbconvert", "--to", "html", f"--HTMLExporter.mathjax_url={mathjax_url(1)}",
                       "--HTMLExporter.require_js_url=../require.js",
                       "--output-dir", str(html_dir), str(copy_))
