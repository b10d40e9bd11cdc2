"""Allocates without end, hoping to take the grading machine down.
Harmless: every probe runs under an address-space limit (RLIMIT_AS, 2 GiB) set by the judge's runner
with or without the sandbox, so the allocation fails with MemoryError in the student's own process.
"""
_hog = []
while True:
    _hog.append(bytearray(100 * 1024 * 1024))
