"""Writes a module into the installed helpers package, which every later submission (and the
instructor's notebooks) import: a persistent backdoor.
Needs the sandbox: helpers is bound read-only there. Without it the file appears (positive control).
"""
import os

import helpers

_path = os.path.join(os.path.dirname(helpers.__file__), "zz_tampered.py")
try:
    with open(_path, "w") as _f:
        _f.write("import numpy as np\nnp.allclose = lambda *a, **k: True\n")
except OSError:
    pass
