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


def training_batch(sequences: list[np.ndarray], max_len: int, rng: np.random.Generator | None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (B, T) and next-item targets (B, T) (-100 where padding) for whole sequences.

    With `rng`, a sequence longer than max_len + 1 yields a random window instead of its end.
    """
    inputs, targets = [], []
    for seq in sequences:
        end = len(seq)
        if rng is not None and end > max_len + 1:
            end = int(rng.integers(max_len + 1, end + 1))
        window = seq[max(0, end - max_len - 1):end]
        inputs.append(window[:-1])
        targets.append(window[1:])
    x = pad_left(inputs, max_len)
    y = pad_left(targets, max_len) - 1
    y[x == PAD] = -100
    return x, y


def seen_mask(inputs: torch.Tensor, rows: torch.Tensor, cols: torch.Tensor, n_items: int
              ) -> torch.Tensor:
    """(N, n_items) bool: True where the item is in inputs[rows[n], :cols[n] + 1], the prefix
    position (rows[n], cols[n]) of the (B, T) input ids has seen."""
    B, T = inputs.shape
    first = torch.full((B, n_items + 1), T, dtype=torch.long)  # first position of each id
    first.scatter_reduce_(1, inputs, torch.arange(T).expand(B, T), reduce="amin")
    return first[rows, 1:] <= cols[:, None]  # (N, n_items)
