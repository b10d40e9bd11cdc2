"""The lectures as a web site and as reveal.js slide decks, both readable offline.

Front-end assets come from pinned npm packages (``package.json`` and ``package-lock.json`` at the
root; ``npm ci`` installs them into ``node_modules/``, which :func:`ensure_assets` does when they
are missing) and are copied into ``build/``, so no page asks a CDN for anything:

- MathJax 2.7.9 with its TeX fonts (the ``jupyter_server_mathjax`` copy the site used before ships
  only STIX-Web fonts, so MathJax's default TeX font requests 404ed: upright variables, and the
  dots of ``\\dot q`` on a line of their own);
- reveal.js 4.6.0 (the major version nbconvert's reveal template is written for), and require.js
  and jQuery, which nbconvert's templates load (from a CDN by default).

Slides are nbconvert's slides exporter run on a copy of each lecture cut into a talk here
(:func:`derive_slide_types`: headings start slides, equations, list items and short prose are
fragments, long prose goes to the speaker notes, long code gives way to its figure or printout), so
the lectures need no hand tagging; the deck's template (``templates/talk/``) adds the talk's CSS and
``talk.js``, which fits each slide into reveal.js's slide box in the browser.
"""

import base64
import copy
import json
import math
import re
import shutil
import struct
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from .notebooks import ROOT, load

BUILD = ROOT / "build"
TEMPLATES = Path(__file__).resolve().parent / "templates"  # talk/: the deck's template, CSS, script
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


# The talk: how a lecture becomes slides (derive_slide_types). Sizes are in pixels of reveal.js's
# slide box (SLIDE_WIDTH x SLIDE_HEIGHT, scaled to the screen as a whole). The heights below are an
# estimate used to split long sections into several slides; talk.js (course/templates/talk/)
# measures the real slide in the browser and fits what the estimate misses.
SLIDE_WIDTH, SLIDE_HEIGHT = 960, 700
SLIDE_BUDGET = 560    # estimated content per slide: the rest is margin for the estimate's error
SLIDE_WORDS = 75      # words of prose on one slide (math and code not counted): more is a page
SHORT_WORDS = 30      # prose up to this long is shown; longer prose goes to the speaker notes,
                      # and one sentence of it (the first with bold words, else the first) is shown
KEY_MIN_WORDS = 6     # a bold sentence shorter than this is a lead-in, not the paragraph's point
LONG_CODE_LINES = 12  # code longer than this is not shown (its figure or printout is)
FIGURE_CODE_LINES = 4  # code that draws a figure is shown only this short: the figure is the point
CODE_CHARS = 100      # nor is code wider than this: at 16 px a line of 100 characters fills the slide
TEXT_CHARS, TEXT_LINE = 70, 34  # characters per line and line height of 24 px prose
HEADING_CHARS, HEADING_LINE = 45, 48
CODE_LINE = 22        # a line of code or printed output (16 px)
MATH_LINE = 60        # one line of display math
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"  # a cell that prints and asserts: its printout is the point

LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
ABBREVIATION = re.compile(r"\b(e\.g|i\.e|cf|vs|et al|etc|approx|resp|Fig|Eq)\.")


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def markdown_blocks(text):
    """Split markdown into ``(kind, text)`` blocks, in order. Kinds: "heading" (one line), "math"
    (a ``$$`` display, possibly over several lines), "item" (one list item with its continuation
    lines), "table", "other" (fenced code, quote) and "prose" (the lines of a paragraph between
    displays: a paragraph interrupted by an equation gives prose, math, prose)."""
    lines, blocks, i = text.splitlines(), [], 0

    def starts_block(line):
        s = line.strip()
        return not s or s.startswith(("#", "$$", "|", "```", ">")) or LIST_ITEM.match(line)

    while i < len(lines):
        line, s = lines[i], lines[i].strip()
        j = i + 1
        if not s:
            i += 1
            continue
        if s.startswith("#"):
            kind = "heading"
        elif s.startswith("$$"):
            kind = "math"
            while "\n".join(lines[i:j]).count("$$") < 2 and j < len(lines):
                j += 1
        elif LIST_ITEM.match(line):
            kind, indent = "item", len(LIST_ITEM.match(line).group(1))
            while j < len(lines) and lines[j].strip() and not (
                    LIST_ITEM.match(lines[j]) and len(LIST_ITEM.match(lines[j]).group(1)) <= indent):
                j += 1
        elif s.startswith("```"):
            kind = "other"
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            j = min(j + 1, len(lines))
        elif s.startswith(("|", ">")):
            kind = "table" if s.startswith("|") else "other"
            while j < len(lines) and lines[j].strip().startswith(s[0]):
                j += 1
        else:
            kind = "prose"
            while j < len(lines) and not starts_block(lines[j]):
                j += 1
        blocks.append((kind, "\n".join(lines[i:j])))
        i = j
    return blocks


def sentences(text):
    """``text`` cut after each full stop, question or exclamation mark that ends a sentence: not one
    inside inline math, in a number or in an abbreviation (e.g., i.e., vs.)."""
    masked = re.sub(r"\$[^$]*\$", lambda m: "x" * len(m.group()), text)
    masked = ABBREVIATION.sub(lambda m: "x" * len(m.group()), masked)
    cuts = [m.end() for m in re.finditer(r"[.!?](\*\*|\*|\))?(?=\s)", masked)]
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def key_sentence(text):
    """The sentence of a long paragraph that stays on the slide, or None: the first short one
    (KEY_MIN_WORDS to SHORT_WORDS words) that has bold words, else the first sentence if it is
    short. A list item keeps its marker."""
    marker = LIST_ITEM.match(text)
    body = text[marker.end():] if marker else text
    parts = sentences(body)
    short = [p for p in parts if len(p.split()) <= SHORT_WORDS]
    # A bold lead-in alone ("**The question.**") says too little to stand for its paragraph.
    pick = next((p for p in short if "**" in p and len(p.split()) >= KEY_MIN_WORDS),
                parts[0] if short and short[0] == parts[0] else None)
    if pick is None:
        return None
    return (marker.group() if marker else "") + " ".join(pick.split())


def _text_height(text, chars=TEXT_CHARS, line=TEXT_LINE):
    """Estimated height of ``text`` set as a paragraph: inline math counts a third of its TeX."""
    visible = re.sub(r"\$([^$]*)\$", lambda m: "x" * (len(m.group(1)) // 3 + 1), text)
    visible = re.sub(r"\*\*|`|^\s*([-*+]|\d+[.)])\s+", "", " ".join(visible.split()))
    return math.ceil(max(len(visible), 1) / chars) * line + 8


def prose_words(text):
    """Words of ``text`` that are prose: not math, not code, not markdown markup."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", " ", text, flags=re.S)
    return sum(1 for w in text.split() if re.search(r"\w", w))


def _math_height(tex):
    rows = tex.count("\\\\") + 1
    tall = any(k in tex for k in ("\\frac", "\\sum", "\\int", "\\prod", "\\begin", "\\tfrac", "^{"))
    return int(rows * MATH_LINE * (1.3 if tall else 1.0)) + 10


def _png_size(output):
    """(width, height) in CSS pixels of an output's PNG: its metadata, else the PNG header."""
    meta = output.get("metadata", {}).get("image/png", {})
    if "width" in meta and "height" in meta:
        return meta["width"], meta["height"]
    data = output["data"]["image/png"]
    head = base64.b64decode(("".join(data) if isinstance(data, list) else data).replace("\n", "")[:32])
    return struct.unpack(">II", head[16:24])  # the IHDR chunk: width, height


def _output_height(output):
    data = output.get("data", {})
    if "image/png" in data:
        w, h = _png_size(output)
        return h * min(1.0, (SLIDE_WIDTH - 40) / w) + 10
    text = output.get("text") or data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return len(text.splitlines()) * CODE_LINE + 8


def _code_shown(cell):
    lines = _source(cell).strip().splitlines()
    figure = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    return (not lines[0].startswith(CHECK_MARK) and max(len(x) for x in lines) <= CODE_CHARS
            and len(lines) <= (FIGURE_CODE_LINES if figure else LONG_CODE_LINES))


def markdown_pieces(cell):
    """A markdown cell as ``(cell, role, height)`` pieces: role "heading1".."heading3" (starts a
    slide), "show" (on the slide) or "notes"; see :func:`derive_slide_types`."""
    pieces, cid = [], cell.get("id", "cell")

    def add(text, role, height=0.0):
        new = {"cell_type": "markdown", "id": f"{cid}-{len(pieces)}" if pieces else cid,
               "metadata": copy.deepcopy(cell.get("metadata", {})) if not pieces else {},
               "source": text}
        if cell.get("attachments") and not pieces:
            new["attachments"] = cell["attachments"]
        pieces.append((new, role, height))

    for kind, text in markdown_blocks(_source(cell)):
        if kind == "heading":
            level = len(text) - len(text.lstrip("#"))
            chars = len(text.lstrip("# "))
            role = f"heading{level}" if level <= 3 else "show"
            add(text, role, math.ceil(chars / HEADING_CHARS) * HEADING_LINE + 10)
        elif kind == "math":
            add(text, "show", _math_height(text))
        elif kind in ("prose", "item") and len(text.split()) > SHORT_WORDS:
            key = key_sentence(text)
            if key:
                add(key, "show", _text_height(key))
            add(text, "notes")
        elif kind in ("prose", "item"):
            add(text, "show", _text_height(text))
        else:
            add(text, "show", len(text.splitlines()) * TEXT_LINE + 10)
    return pieces


def code_piece(cell):
    """A code cell as one ``(cell, role, height)`` piece: role "show" or "skip". Its input is shown
    when short and narrow (:func:`_code_shown`), else removed (``remove_input`` tag) if it has
    something to show (code that draws a figure is shown only up to FIGURE_CODE_LINES); widget
    views are dropped (a static deck has no widget runtime)."""
    src = _source(cell).strip()
    cell["outputs"] = [o for o in cell.get("outputs", [])
                       if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]
    if not src:
        return cell, "skip", 0.0
    shown = _code_shown(cell)
    height = sum(_output_height(o) for o in cell["outputs"] if o["output_type"] != "error")
    if shown:
        height += len(src.splitlines()) * CODE_LINE + 16
    elif cell["outputs"]:
        tags = cell["metadata"].setdefault("tags", [])
        if "remove_input" not in tags:
            tags.append("remove_input")
    else:
        return cell, "skip", 0.0
    return cell, "show", height


def continued(heading, cid):
    """The sub-slide that continues the section ``heading``: its heading, marked as continued."""
    return {"cell_type": "markdown", "id": f"{cid}-continued", "source": f"### {heading} (continued)",
            "metadata": {"slideshow": {"slide_type": "subslide"}}}


def derive_slide_types(nb):
    """A copy of notebook ``nb`` (a dict) cut into a talk; the input is not changed.

    Markdown cells are cut into pieces (:func:`markdown_pieces`): a ``#``/``##`` heading starts a
    slide and a ``###`` heading a sub-slide (a vertical one); display equations, list items and
    short prose are fragments shown one after the other; a paragraph longer than SHORT_WORDS words
    goes to the speaker notes whole, and one short sentence of it stays on the slide. Code cells
    (:func:`code_piece`) show short code, and the figures and printouts of the rest. When a slide's
    estimated height would pass SLIDE_BUDGET, or its prose SLIDE_WORDS words, the next piece starts
    a sub-slide (the same section, continued below, under its heading marked as continued). A cell
    that already has ``slideshow`` metadata keeps it, whole.
    """
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("widgets", None)
    cells, height, words, has_body, heading = [], 0.0, 0, False, None
    for cell in nb["cells"]:
        cell.setdefault("metadata", {})
        explicit = cell["metadata"].get("slideshow", {}).get("slide_type")
        if explicit:
            if explicit in ("slide", "subslide"):
                height, has_body = 0.0, False
            cells.append(cell)
            continue
        if cell["cell_type"] == "markdown":
            pieces = markdown_pieces(cell)
        elif cell["cell_type"] == "code":
            pieces = [code_piece(cell)]
        else:
            pieces = [(cell, "skip", 0.0)]
        for piece, role, h in pieces:
            w = prose_words(_source(piece)) if piece["cell_type"] == "markdown" else 0
            if role in ("notes", "skip"):
                kind = role
            elif role in ("heading1", "heading2") or not cells:
                kind, height, words, has_body = "slide", h, w, False
                heading = _source(piece).lstrip("# ") if role != "show" else None
            elif role == "heading3":
                kind, height, words, has_body = "subslide", h, w, False
                heading = _source(piece).lstrip("# ")
            elif has_body and (height + h > SLIDE_BUDGET or words + w > SLIDE_WORDS):
                # The section goes on below, under its heading (smaller, marked as continued).
                kind, height, words = "fragment", HEADING_LINE + 10 + h, w + prose_words(heading or "") + 1
                if heading:
                    cells.append(continued(heading, piece.get("id", "cell")))
                else:
                    kind = "subslide"
            else:
                kind, height, words, has_body = "fragment", height + h, words + w, True
            piece["metadata"]["slideshow"] = {"slide_type": kind}
            cells.append(piece)
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


def talk_counts(nb):
    """How a talk (a notebook from :func:`derive_slide_types`) is cut: counts of slides (including
    sub-slides), fragments, notes and skipped cells."""
    kinds = Counter(c["metadata"]["slideshow"]["slide_type"] for c in nb["cells"])
    return {"slides": kinds["slide"] + kinds["subslide"], "fragments": kinds["fragment"],
            "notes": kinds["notes"], "skipped": kinds["skip"]}


def export_slides(path, out_dir):
    """Write ``out_dir/<stem>.slides.html``: one lecture as an offline reveal.js deck. Returns its
    path and :func:`talk_counts`."""
    import nbformat
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    talk = derive_slide_types(load(path))
    nb = nbformat.reads(json.dumps(talk), as_version=4)
    cfg = Config()
    cfg.SlidesExporter.reveal_url_prefix = "reveal.js"
    cfg.SlidesExporter.reveal_theme = "white"  # its fonts are local; "simple" imports web fonts
    cfg.SlidesExporter.reveal_scroll = False  # a slide fits its box (talk.js), never scrolls
    cfg.SlidesExporter.reveal_width = str(SLIDE_WIDTH)
    cfg.SlidesExporter.reveal_height = str(SLIDE_HEIGHT)
    cfg.SlidesExporter.reveal_number = "c/t"  # the audience can name a slide
    cfg.SlidesExporter.template_name = "talk"  # reveal's template with talk.css and talk.js
    cfg.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
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
    return out, talk_counts(talk)


def build_slides(paths, build=BUILD):
    """Every lecture as ``build/slides/<stem>.slides.html`` with reveal.js and MathJax beside.
    Returns ``(path, counts)`` per deck (:func:`export_slides`)."""
    copy_mathjax(build)
    out_dir = copy_reveal(build)
    decks = [export_slides(p, out_dir) for p in paths]
    items = "\n".join(f'<li><a href="{o.name}">{o.stem.removesuffix(".slides")}</a></li>' for o, _ in decks)
    (out_dir / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Slides</title></head>"
        f"<body><h1>Bayesian inference by sampling: slides</h1><ol>{items}</ol></body></html>\n")
    return decks


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
