"""Slider cells in a live kernel: the figure is drawn once, and a slider redraws it in place.

Runs ``helpers.widgets.explore`` in a real IPython kernel (this venv's) and counts the figures
the kernel sends on its output channel, as JupyterLab would receive them.
"""

import queue

import pytest

CELL = """
import matplotlib.pyplot as plt
from helpers.widgets import explore
calls = []
def draw(a):
    calls.append(a)
    fig, ax = plt.subplots()
    ax.plot([0, a])
    return fig
ui = explore(draw, a=(0.0, 1.0, 0.1, 0.5))
ui
"""


def run(kc, code):
    """Execute ``code``; return the iopub messages it caused (until the kernel is idle)."""
    msg_id = kc.execute(code)
    msgs = []
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=60)
        except queue.Empty:
            pytest.fail(f"no reply from the kernel to {code!r}")
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return msgs


def figures(msgs, kind):
    return [m for m in msgs if m["msg_type"] == kind and "image/png" in m["content"].get("data", {})]


def text(msgs):
    return "".join(m["content"].get("text", "") for m in msgs if m["msg_type"] == "stream")


def test_slider_cell_draws_its_figure_once_and_redraws_it_in_place():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        msgs = run(kc, CELL)
        assert not [m for m in msgs if m["msg_type"] == "error"], msgs
        shown = figures(msgs, "display_data") + figures(msgs, "execute_result")
        assert len(shown) == 1, f"the cell showed {len(shown)} figures, expected 1"
        assert any("application/vnd.jupyter.widget-view+json" in m["content"].get("data", {})
                   for m in msgs if m["msg_type"] == "execute_result"), "no sliders in a live kernel"
        assert text(run(kc, "print(len(calls))")).strip() == "1"
        # Moving the slider replaces the figure (same display id), it does not add one.
        moved = run(kc, "ui.children[0].value = 0.7")
        assert len(figures(moved, "update_display_data")) == 1 and not figures(moved, "display_data")
        display_id = shown[0]["content"]["transient"]["display_id"]
        assert figures(moved, "update_display_data")[0]["content"]["transient"]["display_id"] == display_id
        assert text(run(kc, "print(calls)")).strip() == "[0.5, 0.7]"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
