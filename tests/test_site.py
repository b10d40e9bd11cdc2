"""How course/site.py turns a lecture into a talk (no browser; tests/test_slides.py renders it)."""

import base64
import json
import struct
from pathlib import Path

import pytest

from course import site

LECTURES = sorted((Path(__file__).resolve().parent.parent / "lectures").glob("[0-9][0-9]_*.ipynb"))


def md(text, **meta):
    return {"cell_type": "markdown", "id": f"md-{abs(hash(text))}", "metadata": meta, "source": text}


def code(text, png=False, widget=False, printed=None):
    outputs = []
    if png:  # a 400 x 300 PNG's header: what the height estimate reads
        head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 400, 300) + b"\x08\x06"
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"image/png": base64.b64encode(head).decode(), "text/plain": "<Figure>"}})
    if widget:
        outputs.append({"output_type": "execute_result", "execution_count": 1, "metadata": {},
                        "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                 "text/plain": "interactive(...)"}})
    if printed:
        outputs.append({"output_type": "stream", "name": "stdout", "text": printed})
    return {"cell_type": "code", "id": f"code-{abs(hash(text))}", "metadata": {}, "source": text,
            "outputs": outputs, "execution_count": 1}


def types(nb):
    return [(site._source(c).splitlines()[0][:12], c["metadata"]["slideshow"]["slide_type"])
            for c in nb["cells"]]


def test_headings_start_slides_prose_goes_to_notes_math_and_items_are_fragments():
    long_code = "\n".join(f"x{i} = {i}" for i in range(site.LONG_CODE_LINES + 3))
    prose = "A **key point** here. " + " ".join(["word"] * site.SHORT_WORDS) + "."
    nb = {"metadata": {"widgets": {"state": {}}}, "cells": [
        md("# Title\n\nThe question."),
        code(long_code),                                   # long, no figure: skipped
        code(long_code + "\nplot()", png=True),            # long with a figure: figure kept, input removed
        code("short()", widget=True),                      # a slider cell: widget view dropped
        md("## Section\n\nFirst paragraph,\n$$a = b$$\nand on.\n\n" + prose + "\n\n- one\n- two\n\n### Sub"),
        code("# NBVAL_CHECK_OUTPUT\nprint(1)", printed="1\n"),  # a check: its printout, not its asserts
        md("Kept as the author said.", slideshow={"slide_type": "skip"}),
    ]}
    out = site.derive_slide_types(nb)
    assert "widgets" not in out["metadata"] and "widgets" in nb["metadata"]  # the input is untouched
    assert "slideshow" not in nb["cells"][0]["metadata"]
    got = types(out)
    assert got[:2] == [("# Title", "slide"), ("The question", "fragment")]
    assert got[2][1] == "skip"
    assert got[3][1] == "fragment" and "remove_input" in out["cells"][3]["metadata"]["tags"]
    assert out["cells"][4]["outputs"] == [] and got[4][1] == "fragment"
    assert got[5:9] == [("## Section", "slide"), ("First paragr", "fragment"), ("$$a = b$$", "fragment"),
                        ("and on.", "fragment")]
    # The long paragraph: its bold sentence on the slide, the whole of it in the notes.
    assert got[9] == ("A **key poin", "fragment") and site._source(out["cells"][9]) == "A **key point** here."
    assert got[10][1] == "notes" and site._source(out["cells"][10]) == prose
    assert got[11:14] == [("- one", "fragment"), ("- two", "fragment"), ("### Sub", "subslide")]
    assert got[14][1] == "fragment" and "remove_input" in out["cells"][14]["metadata"]["tags"]
    assert got[15][1] == "skip" and site._source(out["cells"][15]) == "Kept as the author said."
    assert len({c.get("id") for c in out["cells"]}) == len(out["cells"])  # pieces get ids of their own


def test_a_section_too_long_for_one_slide_continues_on_a_subslide():
    items = "\n".join(f"- point {i} " + " ".join(["word"] * 10) for i in range(12))
    out = site.derive_slide_types({"metadata": {}, "cells": [md("## Many points\n\n" + items)]})
    kinds = [k for _, k in types(out)]
    assert kinds[0] == "slide" and "subslide" in kinds
    slides = []
    for cell, kind in zip(out["cells"], kinds, strict=True):
        if kind in ("slide", "subslide"):
            slides.append(0)
        slides[-1] += site.prose_words(site._source(cell))
    assert max(slides) <= site.SLIDE_WORDS, slides


@pytest.mark.parametrize("text, expected", [
    ("Short one. Then $x = 1.5$ here. Done!", ["Short one.", "Then $x = 1.5$ here.", "Done!"]),
    ("It is, e.g. for $n = 3$, fine (i.e. small). Next.",
     ["It is, e.g. for $n = 3$, fine (i.e. small).", "Next."]),
    ("**Bold lead.** Rest of it.", ["**Bold lead.**", "Rest of it."]),
])
def test_sentences_are_not_cut_inside_math_numbers_or_abbreviations(text, expected):
    assert site.sentences(text) == expected


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_no_prose_is_lost_every_block_is_on_a_slide_or_in_the_notes(path):
    nb = json.loads(path.read_text())
    out = site.derive_slide_types(nb)
    kept = [site._source(c) for c in out["cells"]
            if c["cell_type"] == "markdown" and c["metadata"]["slideshow"]["slide_type"] != "skip"]
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for _, block in site.markdown_blocks(site._source(cell)):
                assert block in kept, f"{path.name}: lost {block[:80]!r}"
    notes = sum(c["metadata"]["slideshow"]["slide_type"] == "notes" for c in out["cells"])
    assert notes >= 1
