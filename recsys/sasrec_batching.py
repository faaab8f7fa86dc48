"""Batching for SASRec: left-padded input ids, next-item targets and seen-item masks.

Input ids are item ids shifted by one; 0 is padding.
"""

from __future__ import annotations

import numpy as np
import torch

PAD = 0  # input id of padding; item i is input id i + 1


def pad_left(sequences: list[np.ndarray], max_len: int) -> np.ndarray:
    """Last `max_len` items of each sequence as input ids (item + 1), left-padded with 0."""
    out = np.zeros((len(sequences), max_len), dtype=np.int64)
    for row, seq in enumerate(sequences):
        tail = np.asarray(seq[-max_len:], dtype=np.int64)
        if len(tail):
            out[row, max_len - len(tail):] = tail + 1
    return out


def window_starts(sequences: list[np.ndarray], max_len: int,
                  rng: np.random.Generator | None = None) -> np.ndarray:
    """Where each sequence's training window of max_len + 1 items starts: at its end, or,
    with `rng`, anywhere in a sequence longer than that."""
    longest = np.array([max(0, len(seq) - max_len - 1) for seq in sequences], dtype=np.int64)
    if rng is None:
        return longest
    return rng.integers(0, longest + 1)


def training_batch(sequences: list[np.ndarray], max_len: int, starts: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (B, T) and next-item targets (B, T) (-100 where padding) of the windows that
    begin at `starts` (see `window_starts`)."""
    windows = [seq[start:start + max_len + 1] for seq, start in zip(sequences, starts)]
    x = pad_left([window[:-1] for window in windows], max_len)
    y = pad_left([window[1:] for window in windows], max_len) - 1
    y[x == PAD] = -100
    return x, y


def seen_mask(inputs: torch.Tensor, rows: torch.Tensor, cols: torch.Tensor, n_items: int,
              earlier: torch.Tensor | None = None) -> torch.Tensor:
    """(N, n_items) bool: True where the item is in inputs[rows[n], :cols[n] + 1], the prefix
    position (rows[n], cols[n]) of the (B, T) input ids has seen, or, with `earlier` (B,
    n_items) bool, among the items its sequence had before the window."""
    B, T = inputs.shape
    first = torch.full((B, n_items + 1), T, dtype=torch.long)  # first position of each id
    first.scatter_reduce_(1, inputs, torch.arange(T).expand(B, T), reduce="amin")
    seen = first[rows, 1:] <= cols[:, None]  # (N, n_items)
    return seen if earlier is None else seen | earlier[rows]


def items_before(sequences: list[np.ndarray], starts: np.ndarray, n_items: int
                 ) -> torch.Tensor:
    """(B, n_items) bool: the items of each sequence before its window begins."""
    out = np.zeros((len(sequences), n_items), dtype=bool)
    for row, (seq, start) in enumerate(zip(sequences, starts)):
        out[row, seq[:start]] = True
    return torch.from_numpy(out)
