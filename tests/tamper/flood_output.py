"""Floods stdout and stderr, hoping to fill the grader's disk or memory.
Harmless: student output goes to a scratch file capped by RLIMIT_FSIZE (10 MB), with or without the
sandbox; the cell ends with "output too large" and loses only its own points.
"""
import sys

for _ in range(10**6):
    print("x" * 1000)
    sys.stderr.write("y" * 1000)
