"""Every lecture deck of ``course slides`` read as a talk, in a real headless Chromium (Debian's).

For each deck, served offline from a loopback server: step from the first slide to the last through
every fragment (as the speaker's key presses do) and, on each slide, measure what the audience sees
in reveal.js's slide box (SLIDE_WIDTH x SLIDE_HEIGHT, which reveal.js scales to the screen as a whole):
nothing sticks out of it horizontally or vertically, and nothing is clipped inside it (a code block or
an equation cut at its edge); every figure is decoded and drawn; every formula is typeset by MathJax
without an error; the prose left on a slide is a talk's, not a chapter's (long paragraphs are in the
speaker notes); and no request fails. Without Chromium the tests skip (and fail under CI=true).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from browser import browser, chromium, save_artifacts, static_server
from test_browser_site import MATHJAX_IDLE, watch_requests

from conftest import IN_CI
from course import site
from course.notebooks import load

ROOT = Path(__file__).resolve().parent.parent
SLIDES = ROOT / "build" / "slides"
DECKS = sorted(p.stem for p in (ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))
MIN_FIGURE_PX = 150  # a figure drawn smaller than this (its height in the slide box) is not readable

pytestmark = [
    pytest.mark.skipif(not chromium() and not IN_CI,
                       reason="no Chromium here (Debian: apt-get install chromium); with CI=true "
                              "this test fails instead of skipping"),
    pytest.mark.xdist_group("browser"),  # one worker for the tests that rebuild build/
]

# Step through the whole deck in the page (one round trip per deck, not one per key press) and
# report each slide as the audience finally sees it, all its fragments shown.
WALK = r"""async () => {
  const {width: W, height: H} = Reveal.getConfig();
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  Reveal.slide(0, 0, -1);
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const notes = e => e.closest('aside.notes');

  // How far the slide's visible content reaches outside the box, in the box's pixels, and what
  // is clipped inside it (a scroll container whose content is larger than the container).
  function overflow(s) {
    const box = document.querySelector('.reveal .slides').getBoundingClientRect();
    const scale = Reveal.getScale();
    const out = {right: 0, bottom: 0, left: 0, top: 0, clipped: [], culprit: {}};
    // Every element: an edge beyond the box counts unless a clipping ancestor hides it (then that
    // ancestor, or the scroller inside it, reports the clipping).
    const walk = (e, inClip) => {
      for (const c of e.children) {
        if (c.matches('aside.notes, .MJX_Assistive_MathML, script, style')) continue;
        const r = c.getBoundingClientRect(), name = c.tagName + '.' + String(c.className).slice(0, 40);
        if ((r.width || r.height) && !inClip) {
          const edges = {right: (r.right - box.left) / scale - W, bottom: (r.bottom - box.top) / scale - H,
                         left: (box.left - r.left) / scale, top: (box.top - r.top) / scale};
          for (const k in edges) if (edges[k] > out[k]) { out[k] = edges[k]; out.culprit[k] = name; }
        }
        const cs = getComputedStyle(c);
        const clipX = cs.overflowX !== 'visible', clipY = cs.overflowY !== 'visible';
        const [sw, sh, cw, ch] = [c.scrollWidth, c.scrollHeight, c.clientWidth, c.clientHeight];
        if ((clipX && sw > cw + 1) || (clipY && sh > ch + 1))
          out.clipped.push(`${name} ${sw}x${sh} in ${cw}x${ch}`);
        if (!c.matches('.MathJax')) walk(c, inClip || clipX || clipY);  // a formula's box holds it
      }
    };
    walk(s, false);
    return out;
  }

  function words(s) {  // prose on the slide: markdown text outside notes, math and code
    let n = 0;
    const it = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
    for (let t = it.nextNode(); t; t = it.nextNode()) {
      const p = t.parentElement;
      if (!p.closest('.jp-RenderedMarkdown') || notes(p)
          || p.closest('.MathJax, .MathJax_Display, .MathJax_Preview, script, code, pre')) continue;
      n += t.textContent.split(/\s+/).filter(w => /\w/.test(w)).length;
    }
    return n;
  }

  function content(s) {
    const imgs = [...s.querySelectorAll('img')].filter(i => !notes(i));
    const scale = Reveal.getScale();
    const tex = [...s.querySelectorAll('script[type^="math/tex"]')].filter(m => !notes(m));
    const untypeset = tex.filter(m => {
      const f = document.getElementById(m.id + '-Frame');
      return !f || !f.getBoundingClientRect().width;
    });
    return {
      figures: imgs.length,
      broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length,
      smallest: Math.min(...imgs.map(i => i.getBoundingClientRect().height / scale), 1e9),
      math: tex.length, untypeset: untypeset.map(m => m.textContent.slice(0, 60)),
      errors: s.querySelectorAll('.MathJax_Error, .merror').length,
      notes: [...s.querySelectorAll('aside.notes')].length,
    };
  }

  const report = [];
  for (let guard = 0; guard < 2000; guard++) {
    const s = Reveal.getCurrentSlide(), at = Reveal.getIndices();
    // talk.js fits a slide once it is shown and typeset (30 s at most: a loaded machine is slow).
    for (let t = 0; t < 3000 && s.dataset.fitted !== '1'; t++) await sleep(10);
    const frags = [...s.querySelectorAll('.fragment')];
    const steps = [];
    for (let k = 0; k < frags.length; k++) { Reveal.next(); steps.push(Reveal.getIndices().f); }
    report.push({slide: `${at.h}/${at.v || 0}`, fitted: s.dataset.fitted === '1', fragments: frags.length,
                 steps, allShown: frags.every(f => f.classList.contains('visible')),
                 words: words(s), ...overflow(s), ...content(s)});
    const before = JSON.stringify(Reveal.getIndices());
    Reveal.next();
    if (JSON.stringify(Reveal.getIndices()) === before) break;  // the last slide
  }
  return {report, total: Reveal.getTotalSlides()};
}"""


@pytest.fixture(scope="module")
def decks():
    """``course slides``: every lecture as a deck in build/slides/, as ``make slides`` does."""
    proc = subprocess.run([sys.executable, "-m", "course", "slides"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return SLIDES


@pytest.fixture(scope="module")
def browser_page(decks):
    assert chromium(), "CI=true but no chromium: .ci/run should have installed it"
    with static_server(decks.parent) as base, browser() as b:
        yield b.new_page(viewport={"width": 1280, "height": 800}), base


def problems(slide):
    """What is wrong with one slide of the walk's report (an empty list: nothing)."""
    found = []
    if not slide["fitted"]:
        found.append("talk.js never fitted it")
    if slide["steps"] != list(range(slide["fragments"])) or not slide["allShown"]:
        found.append(f"fragments not stepped through one by one: {slide['steps']}")
    for edge in ("right", "bottom", "left", "top"):
        if slide[edge] > 1:
            found.append(f"sticks out {slide[edge]:.0f} px at the {edge} ({slide['culprit'][edge]})")
    found += [f"clipped: {c}" for c in slide["clipped"]]
    if slide["broken"]:
        found.append(f"{slide['broken']} figures not decoded")
    if slide["figures"] and slide["smallest"] < MIN_FIGURE_PX:
        found.append(f"a figure only {slide['smallest']:.0f} px high")
    if slide["untypeset"] or slide["errors"]:
        found.append(f"math not typeset: {slide['untypeset']}, {slide['errors']} MathJax errors")
    if slide["words"] > site.SLIDE_WORDS:
        found.append(f"{slide['words']} words of prose on the slide")
    return found


@pytest.mark.parametrize("deck", DECKS)
def test_deck_reads_as_a_talk_every_slide_fits_the_box(browser_page, deck):
    page, base = browser_page
    bad = watch_requests(page)
    try:
        page.goto(f"{base}/slides/{deck}.slides.html")
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        page.wait_for_function(MATHJAX_IDLE, timeout=60_000)
        box = page.evaluate("() => [Reveal.getConfig().width, Reveal.getConfig().height]")
        assert box == [site.SLIDE_WIDTH, site.SLIDE_HEIGHT], box
        walk = page.evaluate(WALK)
        report = walk["report"]
        assert len(report) == walk["total"] >= 8, f"visited {len(report)} of {walk['total']} slides"
        talk = site.derive_slide_types(load(ROOT / "lectures" / f"{deck}.ipynb"))
        assert walk["total"] == site.talk_counts(talk)["slides"]  # the deck is cut as course/site.py says
        failures = {s["slide"]: p for s in report if (p := problems(s))}
        assert not failures, f"{deck}: " + "; ".join(f"slide {k}: {', '.join(v)}"
                                                     for k, v in failures.items())
        assert sum(s["figures"] for s in report) >= 1 and sum(s["math"] for s in report) >= 1
        assert sum(s["notes"] for s in report) >= 1, "no speaker notes: where did the long prose go?"
        assert not bad, bad
    except Exception:
        save_artifacts(page, f"slides-{deck}")
        raise
