import socket
import urllib.request

try:
    urllib.request.urlopen("http://127.0.0.1:1", timeout=2)
except Exception:
    pass
_s = socket.create_connection(("pypi.org", 443), timeout=3)
