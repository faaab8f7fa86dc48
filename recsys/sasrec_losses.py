"""SASRec's training losses and learning-rate schedule.

Full softmax cross-entropy over the catalog at every position (items the user had before the
position masked out, as evaluation excludes seen items), or a sampled softmax with shared
uniform negatives when the catalog is large; linear warm-up then cosine decay.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

if TYPE_CHECKING:
    from convrec.recsys.sasrec import SASRecNet


def full_softmax_loss(net: SASRecNet, hidden: torch.Tensor, targets: torch.Tensor,
                      label_smoothing: float = 0.0, seen: torch.Tensor | None = None
                      ) -> torch.Tensor:
    """Cross-entropy over the whole catalog at every non-padding position.

    hidden (N, C) states of the positions, targets (N,) next item ids (0-based). With `seen`
    (N, n_items) bool, those items are left out of each position's softmax (the target never
    is) and label smoothing spreads over the remaining items only.
    """
    logits = hidden @ net.output_embeddings().T  # (N, n_items)
    if seen is None:
        return F.cross_entropy(logits, targets, label_smoothing=label_smoothing)
    seen = seen.scatter(1, targets[:, None], False)  # (N, n_items)
    log_probs = torch.log_softmax(logits.masked_fill(seen, float("-inf")), dim=1)
    nll = -log_probs.gather(1, targets[:, None]).squeeze(1)  # (N,)
    if label_smoothing == 0.0:
        return nll.mean()
    uniform = -log_probs.masked_fill(seen, 0.0).sum(1) / (~seen).sum(1)  # (N,)
    return ((1.0 - label_smoothing) * nll + label_smoothing * uniform).mean()


def sampled_softmax_loss(net: SASRecNet, hidden: torch.Tensor, targets: torch.Tensor,
                         n_negatives: int, generator: torch.Generator) -> torch.Tensor:
    """Cross-entropy of the target against `n_negatives` uniform items shared by the batch.

    A negative that happens to be a position's own target is masked out for that position.
    """
    items = net.output_embeddings()  # (n_items, C)
    negatives = torch.randint(0, net.n_items, (n_negatives,), generator=generator)  # (K,)
    positive = (hidden * items[targets]).sum(-1, keepdim=True)  # (N, 1)
    negative = hidden @ items[negatives].T  # (N, K)
    negative = negative.masked_fill(negatives[None, :] == targets[:, None], float("-inf"))
    logits = torch.cat([positive, negative], dim=1)  # (N, 1 + K)
    zeros = torch.zeros(len(targets), dtype=torch.long)
    return F.cross_entropy(logits, zeros)


def warmup_cosine(optimizer: torch.optim.Optimizer, warmup: int, total: int
                  ) -> torch.optim.lr_scheduler.LambdaLR:
    """Multiplies the learning rate by (step + 1) / warmup, then by a cosine from 1 to 0."""

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
