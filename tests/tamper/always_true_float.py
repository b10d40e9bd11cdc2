"""Replaces the buggy fit_line by one returning numbers that equal anything, hoping that every
comparison in a check passes.
Harmless: the probe turns results into plain floats (np.array(..., dtype=float)) and the runner sends
only exact float/int/list/dict values back; the checks compare those in the grader's process, where
the class does not exist.
"""


class AlwaysTrue(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __le__(self, other): return True
    def __lt__(self, other): return True
    def __ge__(self, other): return True
    def __gt__(self, other): return True
    def __abs__(self): return AlwaysTrue(0.0)
    def __sub__(self, other): return AlwaysTrue(0.0)
    def __rsub__(self, other): return AlwaysTrue(0.0)
    def __bool__(self): return True
    __hash__ = float.__hash__


def fit_line(x, y):
    return [AlwaysTrue(0.0), AlwaysTrue(0.0)]
