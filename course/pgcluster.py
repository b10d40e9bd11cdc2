"""A throwaway PostgreSQL cluster for tests and benchmarks: Debian's ``initdb`` and ``pg_ctl`` in a
fresh folder, listening on a Unix socket only, as an unprivileged user (``nobody`` when we are root:
PostgreSQL refuses to run as root). Always ``stop()`` it (the callers do, in ``finally``)."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

INITDB = "/usr/lib/postgresql/*/bin/initdb"


def available():
    return bool(glob.glob(INITDB))


def _as_user(argv, user):
    return ["runuser", "-u", user, "--", *argv] if os.geteuid() == 0 else argv


class Cluster:
    def __init__(self, parent="/var/tmp"):
        """Make and start a cluster in a fresh folder under ``parent`` (which the unprivileged user
        must be able to traverse: /var/tmp is)."""
        self.bindir = Path(sorted(glob.glob(INITDB))[-1]).parent
        self.user = "nobody" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self.folder = Path(tempfile.mkdtemp(prefix="pg-", dir=parent))
        self.data, self.socket = self.folder / "data", self.folder / "socket"
        self.socket.mkdir()
        if os.geteuid() == 0:
            pw = pwd.getpwnam(self.user)
            for p in (self.folder, self.socket):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        self.env = {**os.environ, "LC_ALL": "C.UTF-8"}
        self.running = False
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self):
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8")
        self._run("pg_ctl", "-D", str(self.data), "-o",
                  f"-k {self.socket} -c listen_addresses='' -c max_connections=50",
                  "-l", str(self.folder / "log"), "-w", "-t", "120", "start")
        self.running = True

    def _run(self, tool, *args, check=True):
        return subprocess.run(_as_user([str(self.bindir / tool), *args], self.user), check=check,
                              capture_output=True, env=self.env, timeout=300)

    def database(self, name):
        """Create database ``name``; return its URL for ``--db``."""
        import psycopg

        with psycopg.connect(host=str(self.socket), user=self.user, dbname="postgres",
                             autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{self.user}@/{name}?host={self.socket}"

    def stop(self):
        if self.running or (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)
