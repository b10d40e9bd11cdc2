"""Installs an IPython input transformer wrapping every later cell in try/except.
Harmless: no IPython in the judge's runner (NameError there); in nbgrader's kernel (--in-kernel) it
would act, and the judge flags a kernel scoring more than the judge.
"""
get_ipython().input_transformers_cleanup.append(
    lambda lines: ["try:\n"] + ["    " + ln for ln in lines] + ["\nexcept BaseException:\n    pass\n"])
