"""Errors shared by every room: defined here, in the lowest one, so all can import them."""

from __future__ import annotations


class UnknownModelError(ValueError):
    """No model is registered under that name (a recommender or an LLM backend).

    The message lists the names that are registered. It is a ValueError, so the CLI and the
    turn's fallbacks, which catch ValueError, handle it as they handle any bad setting.
    """
