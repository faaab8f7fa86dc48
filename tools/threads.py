"""Run small inference on one torch thread.

On a busy shared CPU, torch's intra-op thread pool turns a 1 ms SASRec or MiniLM forward
pass into hundreds of ms of waiting for a second core; one thread avoids that. The setting
is process-wide, so it is changed under a lock and restored afterwards.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

_LOCK = threading.RLock()


@contextlib.contextmanager
def torch_threads(n: int = 1) -> Iterator[None]:
    """torch with `n` intra-op threads inside the block (no-op when torch is not loaded)."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    with _LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(max(1, n))
        try:
            yield
        finally:
            torch.set_num_threads(before)
