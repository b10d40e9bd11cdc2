"""Sliders for the lectures that degrade to a static figure without a widget front end.

``explore(draw, proposal_sd=(0.01, 2.0, 0.01, 0.3))`` first draws the figure at the default
values (so an executed notebook, its HTML page and a reader without a kernel all see it), then,
when ipywidgets is importable and a kernel is running, adds sliders that redraw that same figure
in place: one figure on the page, drawn once per setting (never a second copy under the sliders).
"""

import matplotlib.pyplot as plt


def explore(draw, **sliders):
    """Show ``draw(**defaults)`` as a static figure, then offer sliders if a front end can use them.

    Parameters
    ----------
    draw : callable
        ``draw(**values)`` makes one matplotlib figure and returns it (or its ``(fig, ax)``).
    **sliders : (low, high, step, default) tuples, one per keyword of ``draw``.
        A float range gives a float slider; integer ends and step give an integer slider.

    Returns
    -------
    The ipywidgets ``interactive`` object, or ``None`` where there is no widget support.
    """
    for name, spec in sliders.items():
        if len(spec) != 4 or not spec[0] <= spec[3] <= spec[1]:
            raise ValueError(f"slider {name} must be (low, high, step, default) with low <= default <= high")
    defaults = {name: spec[3] for name, spec in sliders.items()}
    from IPython.display import display

    fig = draw(**defaults)
    fig = fig[0] if isinstance(fig, tuple) else fig
    handle = display(fig, display_id=True)  # the slider callback replaces this output in place
    plt.close(fig)
    try:
        import ipywidgets as w
        from IPython import get_ipython

        if get_ipython() is None or getattr(get_ipython(), "kernel", None) is None:
            return None
    except ImportError:
        return None

    shown = dict(defaults)

    def redraw(**values):
        # ipywidgets calls this once on creation with the defaults, already drawn above: skip it.
        if values == shown:
            return
        shown.clear()
        shown.update(values)
        out = draw(**values)
        out = out[0] if isinstance(out, tuple) else out
        handle.update(out)
        plt.close(out)

    controls = {}
    for name, (lo, hi, step, default) in sliders.items():
        cls = w.IntSlider if all(isinstance(v, int) for v in (lo, hi, step)) else w.FloatSlider
        controls[name] = cls(min=lo, max=hi, step=step, value=default, description=name,
                             continuous_update=False)
    return w.interactive(redraw, **controls)
