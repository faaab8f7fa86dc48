"""The number of torch intra-op threads inside a block, restored afterwards.

On a busy shared CPU, torch's intra-op thread pool turns a 1 ms SASRec or MiniLM forward pass
into hundreds of ms of waiting for a second core, and a second thread made each decoding step
of a small LLM up to ten times slower; one thread avoids that.

Under OpenMP (torch's CPU backend in the Linux wheels) the count is kept per thread, and a
thread that has not run torch yet starts from the count last set anywhere in the process.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

# Guards reading and changing the setting; never held while a block runs (see torch_threads).
_LOCK = threading.Lock()


@contextlib.contextmanager
def torch_threads(n: int | None = 1) -> Iterator[None]:
    """torch with `n` intra-op threads inside the block (None: leave torch's setting alone).

    The lock guards only set and restore, so a long LLM generation never makes a SASRec
    ranking in another session wait, and blocks nest in one thread. A no-op when torch is not
    loaded.
    """
    torch = sys.modules.get("torch")
    if n is None or torch is None:
        yield
        return
    with _LOCK:
        before = torch.get_num_threads()
        if before != max(1, n):
            torch.set_num_threads(max(1, n))
    try:
        yield
    finally:
        with _LOCK:
            if torch.get_num_threads() != before:
                torch.set_num_threads(before)
