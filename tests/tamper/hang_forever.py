"""Ignores SIGINT/SIGTERM and spins, hoping to stall the grading of the class.
Harmless: each cell has a CPU limit (RLIMIT_CPU) and a wall-clock limit after which the runner
SIGKILLs it, with or without the sandbox; the submission ends "timed out", the others are graded.
"""
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    pass
