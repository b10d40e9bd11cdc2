"""Sends the grader's data out over the network (here: to a loopback server the test starts; the
test writes its port in place of 0).
Needs the sandbox: no network namespace of the host inside. Without it the server receives the data
(positive control).
"""
import socket

_ADDRESS = ("127.0.0.1", 0)
try:
    with socket.create_connection(_ADDRESS, timeout=3) as _s:
        _s.sendall(b"exfiltrated")
except OSError:
    pass
