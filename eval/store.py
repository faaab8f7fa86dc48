"""The run folder: sessions appended one JSON line each as they finish, so nothing is lost.

$CONVREC_HOME/eval/<run>/run.json         the settings the run was started with
$CONVREC_HOME/eval/<run>/sessions.jsonl   one finished session per line (fsync'd)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from convrec.recsys.io import atomic_path

# Settings that must match for `--resume` to continue a run (users may grow: the sample of
# a smaller run is a prefix of a larger one).
RESUME_KEYS = ("seed", "max_turns", "top", "user_llm", "dataset")


class RunFolder:
    """One evaluation run on disk."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.sessions = self.path / "sessions.jsonl"
        self.settings = self.path / "run.json"

    def open(self, settings: dict[str, Any], resume: bool) -> None:
        """Create the run, or check that `settings` match the run being resumed."""
        if self.sessions.exists() and not resume:
            raise FileExistsError(f"{self.path} already holds a run: pass --resume to continue "
                                  "it or --run NAME to start another")
        self.path.mkdir(parents=True, exist_ok=True)
        if resume and self.settings.is_file():
            old = json.loads(self.settings.read_text(encoding="utf-8"))
            changed = [k for k in RESUME_KEYS if old.get(k) != settings.get(k)]
            if changed:
                raise ValueError(f"cannot resume {self.path}: it ran with "
                                 + ", ".join(f"{k}={old.get(k)!r}" for k in changed)
                                 + "; use the same values or another --run NAME")
        self._repair_tail()
        with atomic_path(self.settings) as tmp:
            tmp.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")

    def append(self, record: dict[str, Any]) -> None:
        """Append one session as a single write, flushed to disk before returning."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.sessions, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def records(self) -> list[dict[str, Any]]:
        """Every finished session (a torn last line from a crash is ignored)."""
        return list(self._read())

    def done(self) -> set[tuple[str, int]]:
        """(method, user) pairs already finished."""
        return {(r["method"], int(r["user"])) for r in self._read()}

    def _read(self) -> Iterator[dict[str, Any]]:
        if not self.sessions.is_file():
            return
        with self.sessions.open(encoding="utf-8") as handle:
            for line in handle:
                if line.endswith("\n"):
                    yield json.loads(line)

    def _repair_tail(self) -> None:
        """Cut a torn last line (a crash mid-write) so the next append starts clean."""
        if not self.sessions.is_file():
            return
        data = self.sessions.read_bytes()
        if data and not data.endswith(b"\n"):
            with self.sessions.open("r+b") as handle:
                handle.truncate(data.rfind(b"\n") + 1)
