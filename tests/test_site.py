"""How course/site.py turns a lecture into a talk (no browser; tests/test_browser_site.py renders it)."""

from course import site


def md(text, **meta):
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def code(text, png=False, widget=False):
    outputs = []
    if png:
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}})
    if widget:
        outputs.append({"output_type": "execute_result", "execution_count": 1, "metadata": {},
                        "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                 "text/plain": "interactive(...)"}})
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": outputs, "execution_count": 1}


def types(nb):
    return [(site._source(c).splitlines()[0][:12], c["metadata"]["slideshow"]["slide_type"])
            for c in nb["cells"]]


def test_headings_start_slides_long_code_is_skipped_figures_kept_and_explicit_metadata_wins():
    long_code = "\n".join(f"x{i} = {i}" for i in range(site.LONG_CODE_LINES + 3))
    prose = " ".join(["word"] * (site.NOTES_WORDS + 1))
    nb = {"metadata": {"widgets": {"state": {}}}, "cells": [
        md("# Title\n\nThe question."),
        code(long_code),                                   # long, no figure: skipped
        code(long_code + "\nplot()", png=True),            # long with a figure: figure kept, input removed
        code("short()", widget=True),                      # a slider cell: widget view dropped
        md("## Section\n\nFirst paragraph.\n\n$$a = b$$\n\n" + prose + "\n\n### Sub\n\nMore."),
        md("Kept as the author said.", slideshow={"slide_type": "skip"}),
    ]}
    out = site.derive_slide_types(nb)
    assert "widgets" not in out["metadata"] and "widgets" in nb["metadata"]  # the input is untouched
    got = dict(enumerate(types(out)))
    assert got[0] == ("# Title", "slide") and got[1][1] == "skip"
    assert got[2][1] == "fragment" and "remove_input" in out["cells"][2]["metadata"]["tags"]
    assert [o["data"].keys() for o in out["cells"][3]["outputs"]] == []
    assert got[4] == ("## Section", "slide") and got[5] == ("$$a = b$$", "fragment")
    assert got[6][1] == "notes" and got[7] == ("### Sub", "subslide")
    assert got[8][1] == "skip" and site._source(out["cells"][8]) == "Kept as the author said."
    assert len({c.get("id") for c in out["cells"][5:8]}) == 3  # split cells get ids of their own
