"""SASRec: self-attentive sequential recommendation (Kang & McAuley, ICDM 2018), in torch.

Three parts kept apart, as in nanoGPT/gSASRec:
- `SASRecNet`, the torch module: embedding layer (item + positional), causal self-attention
  blocks, `encode` (sequence -> hidden states) and `predict` (scores of candidate items at the
  last position). Inputs are tensors of item ids shifted by one (0 is padding).
- the training losses: full softmax cross-entropy over the catalog at every position (items
  the user had before the position masked out, as evaluation excludes seen items), or a
  sampled softmax with shared uniform negatives when the catalog is large.
- `SASRec`, the `Recommender`: the training loop (on train + valid for a fixed number of
  epochs, or on train with early stopping on valid NDCG@10), save/load. Batching helpers
  live in `convrec.recsys.sasrec_batching`, the losses in `convrec.recsys.sasrec_losses`.
"""

from __future__ import annotations

import copy
import logging
import math
import time
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from convrec.recsys.data import Split
from convrec.recsys.metrics import evaluate
from convrec.recsys.protocol import ModelFitError, Recommender, UserContext
from convrec.recsys.sasrec_batching import (
    PAD,
    items_before,
    pad_left,
    seen_mask,
    training_batch,
    window_starts,
)
from convrec.recsys.sasrec_losses import full_softmax_loss, sampled_softmax_loss, warmup_cosine
from convrec.recsys.threads import torch_threads

logger = logging.getLogger(__name__)

__all__ = ["SASRec", "SASRecConfig", "SASRecNet", "full_softmax_loss", "pad_left",
           "items_before", "sampled_softmax_loss", "seen_mask", "training_batch", "window_starts"]


@dataclass
class SASRecConfig:
    """Hyper-parameters, chosen on ML-100K's valid split (NDCG@10); the experiments behind
    each default are in docs/sasrec.md."""

    max_len: int = 50  # attention window: the last `max_len` items (100 and 200: no better)
    hidden: int = 256  # embedding / model width C (best mean valid of 3 seeds; 128, 192 no better)
    n_blocks: int = 2  # 3 blocks: no better
    n_heads: int = 1  # 2 heads: no better
    dropout: float = 0.2  # 0.5 lost; 0.1 and 0.3 no better
    tie_weights: bool = True  # output layer = input item embeddings (as in the paper; untied lost)
    label_smoothing: float = 0.0  # no better with it
    mask_seen: bool = True  # full softmax: items the user had before a position get -inf (won)
    lr: float = 1e-3  # 3e-3: no better
    weight_decay: float = 0.0  # 0.1: no better
    warmup_epochs: int = 2  # linear warm-up, then cosine decay to 0 over `max_epochs`
    batch_size: int = 32  # reaches the plateau in 10 epochs of cosine decay
    max_epochs: int = 10  # 12 and 15: no better
    # fit on train + valid for exactly max_epochs, no early stopping: won on a split shifted
    # back one item
    train_on_valid: bool = True
    max_seconds: float | None = None  # stop training after this wall time (checked per epoch)
    eval_every: int = 1  # epochs between valid NDCG@10 checks (train_on_valid=False only)
    patience: int = 3  # checks without improvement before stopping
    random_crop: bool = False  # long sequences: train on a random window, not only the end
    loss: str = "auto"  # "full", "sampled", or "auto": sampled from `sampled_from_items` on
    sampled_from_items: int = 100_000
    n_negatives: int = 256  # shared uniform negatives per batch (sampled loss)
    seed: int = 0
    # torch threads while fitting (None: keep the current setting); two ran 3x slower on 2 cores
    num_threads: int | None = 1

    def __post_init__(self) -> None:
        if self.hidden % self.n_heads:
            raise ValueError(f"hidden ({self.hidden}) must be a multiple of n_heads "
                             f"({self.n_heads})")
        if self.loss not in ("auto", "full", "sampled"):
            raise ValueError(f"loss must be 'auto', 'full' or 'sampled', not {self.loss!r}")
        if self.max_len < 1 or self.batch_size < 1 or self.max_epochs < 1:
            raise ValueError("max_len, batch_size and max_epochs must be positive")

    def uses_sampled_loss(self, n_items: int) -> bool:
        """True when training should use the sampled softmax for a catalog of `n_items`."""
        large = n_items >= self.sampled_from_items
        return self.loss == "sampled" or (self.loss == "auto" and large)


# --- the torch module ---------------------------------------------------------------------


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where position t sees positions <= t that are not padding."""

    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.n_heads = config.n_heads
        self.c_attn = nn.Linear(config.hidden, 3 * config.hidden)
        self.c_proj = nn.Linear(config.hidden, config.hidden)
        self.dropout = config.dropout

    def forward(self, x: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 x (B, T, C)
        q, k, v = (z.view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2)
                   for z in (q, k, v))  # (B, H, T, C/H)
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=allowed, dropout_p=self.dropout if self.training else 0.0
        )  # (B, H, T, C/H)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))  # (B, T, C)


class PointWiseFeedForward(nn.Module):
    """The paper's two-layer position-wise network: ReLU(x W1 + b1) W2 + b2."""

    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.conv1 = nn.Linear(config.hidden, config.hidden)
        self.conv2 = nn.Linear(config.hidden, config.hidden)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.conv2(self.dropout(F.relu(self.conv1(x)))))  # (B, T, C)


class SelfAttentionBlock(nn.Module):
    """Pre-LayerNorm residual block: self-attention layer, then point-wise feed-forward."""

    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.attention_layernorm = nn.LayerNorm(config.hidden)
        self.self_attention = CausalSelfAttention(config)
        self.attention_dropout = nn.Dropout(config.dropout)
        self.forward_layernorm = nn.LayerNorm(config.hidden)
        self.feed_forward = PointWiseFeedForward(config)

    def forward(self, x: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
        x = x + self.attention_dropout(self.self_attention(self.attention_layernorm(x), allowed))
        return x + self.feed_forward(self.forward_layernorm(x))  # (B, T, C)


class SASRecNet(nn.Module):
    """Embedding layer, stacked self-attention blocks, prediction layer (dot products)."""

    def __init__(self, config: SASRecConfig, n_items: int) -> None:
        super().__init__()
        self.config = config
        self.n_items = n_items
        self.item_emb = nn.Embedding(n_items + 1, config.hidden, padding_idx=PAD)  # M
        self.pos_emb = nn.Embedding(config.max_len, config.hidden)  # P
        self.emb_dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(SelfAttentionBlock(config) for _ in range(config.n_blocks))
        self.last_layernorm = nn.LayerNorm(config.hidden)
        self.out_emb = None if config.tie_weights else nn.Embedding(n_items, config.hidden)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)
        if isinstance(module, nn.Embedding) and module.padding_idx is not None:
            nn.init.zeros_(module.weight[module.padding_idx])

    def output_embeddings(self) -> torch.Tensor:
        """(n_items, C): the vectors hidden states are scored against."""
        return self.item_emb.weight[1:] if self.out_emb is None else self.out_emb.weight

    def encode(self, seq: torch.Tensor) -> torch.Tensor:
        """Hidden state at every position of left-padded input ids (B, T) -> (B, T, C)."""
        B, T = seq.shape
        if T > self.config.max_len:
            raise ValueError(f"sequences are at most {self.config.max_len} long, got {T}")
        positions = torch.arange(self.config.max_len - T, self.config.max_len, device=seq.device)
        x = self.item_emb(seq) * math.sqrt(self.config.hidden)  # (B, T, C)
        x = self.emb_dropout(x + self.pos_emb(positions))  # (B, T, C)
        valid = seq != PAD  # (B, T)
        x = x * valid.unsqueeze(-1)
        causal = torch.ones(T, T, dtype=torch.bool, device=seq.device).tril()  # (T, T)
        diagonal = torch.eye(T, dtype=torch.bool, device=seq.device)
        allowed = (causal & valid[:, None, :]) | diagonal  # (B, T, T): padding rows see self
        allowed = allowed.unsqueeze(1)  # (B, 1, T, T)
        for block in self.blocks:
            x = block(x, allowed) * valid.unsqueeze(-1)  # (B, T, C)
        return self.last_layernorm(x)  # (B, T, C)

    def forward(self, seq: torch.Tensor) -> torch.Tensor:
        return self.encode(seq)

    @torch.no_grad()
    def predict(self, seq: torch.Tensor, candidate_items: torch.Tensor | None = None
                ) -> torch.Tensor:
        """Scores after the last position: (B, T) ids -> (B, n_items), or (B, K) for the
        (K,) candidate item ids (0-based) given."""
        last = self.encode(seq)[:, -1, :]  # (B, C)
        items = self.output_embeddings()  # (n_items, C)
        if candidate_items is not None:
            items = items[candidate_items]  # (K, C)
        return last @ items.T  # (B, n_items) or (B, K)


# --- the recommender ----------------------------------------------------------------------


class SASRec(Recommender):
    """SASRec behind the shared `Recommender` contract; ranks from the item sequence."""

    name = "sasrec"

    def __init__(self, config: SASRecConfig | None = None, **overrides: Any) -> None:
        super().__init__()
        base = asdict(config) if config is not None else {}
        self.config = SASRecConfig(**{**base, **overrides})
        self.net: SASRecNet | None = None
        self.history: list[dict[str, float]] = []  # valid checks (none when train_on_valid)

    # --- training ---

    def _fit(self, split: Split, show_progress: bool) -> None:
        if self.config.train_on_valid:  # what it trains on counts as seen: never recommended
            self._seen = [np.asarray(s, dtype=np.int64)
                          for s in split.sequences(include_valid=True)]
        sequences = [s for s in self._seen if len(s) >= 2]
        if not sequences:
            raise ValueError("SASRec needs users with at least 2 training items")
        with torch_threads(self.config.num_threads or None), torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.config.seed)
            self._train(sequences, split, show_progress)

    def _train(self, sequences: list[np.ndarray], split: Split, show_progress: bool) -> None:
        from tqdm.auto import tqdm

        cfg = self.config
        self.net = SASRecNet(cfg, self.n_items)
        rng = np.random.default_rng(cfg.seed)
        generator = torch.Generator().manual_seed(cfg.seed)
        optimizer = torch.optim.AdamW(self.net.parameters(), lr=cfg.lr,
                                      weight_decay=cfg.weight_decay)
        steps_per_epoch = math.ceil(len(sequences) / cfg.batch_size)
        scheduler = warmup_cosine(optimizer, cfg.warmup_epochs * steps_per_epoch,
                                  cfg.max_epochs * steps_per_epoch)
        sampled = cfg.uses_sampled_loss(self.n_items)
        validate = not (cfg.train_on_valid or split.valid.empty)
        best, best_state, checks_since_best = -1.0, None, 0
        self.history = []
        start = time.perf_counter()
        epochs = tqdm(range(1, cfg.max_epochs + 1), desc="sasrec", disable=not show_progress)
        for epoch in epochs:
            loss = self._train_epoch(sequences, optimizer, scheduler, rng, generator, sampled)
            elapsed = time.perf_counter() - start
            out_of_time = cfg.max_seconds is not None and elapsed >= cfg.max_seconds
            if validate and (epoch % cfg.eval_every == 0 or out_of_time
                             or epoch == cfg.max_epochs):
                ndcg = evaluate(self, split, k=10, part="valid")["ndcg@10"]
                self.history.append({"epoch": epoch, "seconds": elapsed, "loss": loss,
                                     "valid_ndcg@10": ndcg})
                epochs.set_postfix(loss=f"{loss:.3f}", valid_ndcg=f"{ndcg:.4f}")
                logger.info("epoch %d loss %.4f valid ndcg@10 %.4f (%.1fs)", epoch, loss, ndcg,
                            elapsed)
                if ndcg > best:
                    best, checks_since_best = ndcg, 0
                    best_state = copy.deepcopy(self.net.state_dict())
                else:
                    checks_since_best += 1
                if checks_since_best >= cfg.patience:
                    break
            if out_of_time:
                logger.info("stopping after %.1fs (max_seconds=%s)", elapsed, cfg.max_seconds)
                break
        if best_state is not None:
            self.net.load_state_dict(best_state)
        self.net.eval()

    def _train_epoch(self, sequences, optimizer, scheduler, rng, generator, sampled) -> float:
        cfg = self.config
        self.net.train()
        order = rng.permutation(len(sequences))
        total, count = 0.0, 0
        for begin in range(0, len(order), cfg.batch_size):
            batch = [sequences[i] for i in order[begin:begin + cfg.batch_size]]
            starts = window_starts(batch, cfg.max_len, rng if cfg.random_crop else None)
            x, y = training_batch(batch, cfg.max_len, starts)
            inputs, targets = torch.from_numpy(x), torch.from_numpy(y)
            rows, cols = (targets >= 0).nonzero(as_tuple=True)  # (N,), (N,): non-padding
            hidden = self.net(inputs)[rows, cols]  # (N, C)
            if sampled:
                loss = sampled_softmax_loss(self.net, hidden, targets[rows, cols],
                                            cfg.n_negatives, generator)
            else:
                seen = None
                if cfg.mask_seen:
                    earlier = items_before(batch, starts, self.n_items)
                    seen = seen_mask(inputs, rows, cols, self.n_items, earlier)
                loss = full_softmax_loss(self.net, hidden, targets[rows, cols],
                                         cfg.label_smoothing, seen)
            if not torch.isfinite(loss):
                raise ModelFitError("SASRec loss became NaN/inf; lower lr or raise dropout")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(batch)
            count += len(batch)
        return total / count

    # --- inference ---

    def _predict(self, sequences: list[np.ndarray]) -> np.ndarray:
        self.net.eval()
        inputs = torch.from_numpy(pad_left(sequences, self.config.max_len))
        return self.net.predict(inputs).numpy().astype(np.float32)

    def _score(self, contexts: list[UserContext]) -> np.ndarray:
        sequences = []
        for context in contexts:
            seq = np.asarray(context.sequence, dtype=np.int64)
            if len(seq) == 0:
                seq = self._seen[context.user_id]
            if len(seq) == 0:
                raise ValueError(f"user {context.user_id} has no training history; pass a "
                                 "UserContext(sequence=[...]) with the items they consumed")
            sequences.append(seq)
        return np.concatenate([self._predict(sequences[i:i + 512])
                               for i in range(0, len(sequences), 512)])

    def _item_vectors(self) -> np.ndarray:
        return self.net.output_embeddings().detach().numpy().copy()

    # --- persistence ---

    def _state(self) -> dict[str, np.ndarray]:
        return {k: v.detach().cpu().numpy() for k, v in self.net.state_dict().items()}

    def _load_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.net = SASRecNet(self.config, self.n_items)
        self.net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in arrays.items()})
        self.net.eval()

    def _config(self) -> dict[str, Any]:
        return {f.name: getattr(self.config, f.name) for f in fields(self.config)}
