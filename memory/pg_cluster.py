"""A throwaway PostgreSQL server on loopback, in a temporary folder (tests and benchmarks).

    with TemporaryCluster() as cluster:        # initdb + pg_ctl start, about 5 s
        store = open_store(cluster.url("mydb"))  # the database is created on first ask
        cluster.restart()                       # or stop() / start()

It uses the server installed from Debian's packages (`apt-get install postgresql`:
/usr/lib/postgresql/<version>/bin) or any `initdb` on PATH. PostgreSQL refuses to run as
root, so under root the cluster belongs to the user `nobody`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

INSTALL_HINT = "install PostgreSQL (Debian: apt-get install postgresql)"
SUPERUSER = "convrec"


def find_bin_dir() -> Path:
    """The folder with initdb and pg_ctl; a RuntimeError saying how to install them."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise RuntimeError(f"initdb and pg_ctl were not found; {INSTALL_HINT}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TemporaryCluster:
    """initdb in a temporary folder, a server on 127.0.0.1 at a free port, trust auth for
    local connections only; `close()` stops it and removes the folder."""

    def __init__(self, fsync: bool = True, port: int | None = None) -> None:
        self.bin = find_bin_dir()
        self.port = port or free_port()
        root = os.geteuid() == 0  # the server then runs as nobody, who must reach the folder
        self.folder = Path(tempfile.mkdtemp(prefix="convrec-pg-", dir="/tmp" if root else None))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as_user: dict[str, Any] = {}
        if root:
            owner = pwd.getpwnam("nobody")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as_user = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
        self._options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                         f"-c unix_socket_directories={self.folder} "
                         f"-c fsync={'on' if fsync else 'off'} -c max_connections=200")
        self._databases: set[str] = set()
        try:
            self._run("initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                      "--locale=C", "--no-instructions")
            self.start()
        except BaseException:
            self.close()
            raise

    def _run(self, tool: str, *args: object) -> None:
        done = subprocess.run([str(self.bin / tool), *map(str, args)], cwd=self.folder,
                              capture_output=True, text=True, timeout=120, **self._as_user)
        if done.returncode != 0:
            tail = self.log.read_text()[-1500:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr[-1500:]}"
                               f"{tail}")

    def url(self, database: str = "postgres") -> str:
        """A URL for `database`, created empty on the first ask."""
        if database != "postgres" and database not in self._databases:
            import psycopg

            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database}"')
            self._databases.add(database)
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", self._options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast`: roll back open transactions; `immediate`: as a crash)."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def close(self) -> None:
        if self.running():
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TemporaryCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
