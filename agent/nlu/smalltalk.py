"""Small talk: messages that are chat, not a request, even after a list of picks.

Greetings and thanks made only of chat words ("hi", "thanks a lot"), acknowledgements ("good
to know", "got it"), praise for the assistant ("you rock"), laughter ("lmao"); "what else"
is never small talk (it asks for more).
"""

from __future__ import annotations

import re

from convrec.agent.nlu.lexicon import CHAT_REQUIRED, CHAT_WORDS, REQUEST_WORDS

# Asking for more of the same: "what else u got", "anything else?"
_MORE = re.compile(r"\b(?:what|anything|something) else\b")
# Acknowledging an answer: "good to know", "got it", "makes sense".
_ACKNOWLEDGED = re.compile(r"^\W*(?:ok(?:ay)?[ ,]+|ah[ ,]+|oh[ ,]+)?(?:good to know|got it|"
                          r"makes sense|interesting|noted|i see|fair enough|that's good to "
                          r"know|nice to know|understood)\W*$")
_HOW_MANY = re.compile(r"\bhow many\b")
_CHAT_PHRASE = re.compile(r"\b(?:what can you|who are you|how are you|what are you|what up)\b")
# Praise for the assistant: chit-chat, and "funnier" in it asks for no comedy.
_COMPLIMENT = re.compile(r"\b(?:you|ur|u)(?:'re| are|re| r)?\s+(?:so |really |way |just |the |"
                         r"a |pretty |quite |very |actually )?(?:best|awesome|great|amazing|"
                         r"funny|funnier|smart|smarter|better|rock|rule|legend|genius|star|"
                         r"lifesaver|life saver|good at this|good at it)\b")


def is_chat(folded: str) -> bool:
    """Only chat words (with a greeting, thanks or laughter among them), or an
    acknowledgement."""
    return _all_chat_words(folded) or _ACKNOWLEDGED.match(folded) is not None


def praise_spans(folded: str) -> list[tuple[int, int]]:
    """Where the message praises the assistant ("you're the best"): no request there."""
    return [m.span() for m in _COMPLIMENT.finditer(folded)]


def _all_chat_words(folded: str) -> bool:
    words = re.findall(r"[a-z0-9]+", folded.replace("'s", ""))
    if not words or not set(words) <= CHAT_WORDS or _MORE.search(folded) \
            or _HOW_MANY.search(folded):  # "how many is that?" counts the request
        return False
    return bool(set(words) & CHAT_REQUIRED) or _CHAT_PHRASE.search(folded) is not None


def is_small_talk(folded: str) -> bool:
    """A message with no slot, a chit-chat word or praise ("lol", "thanks", "you rock") and
    no request word."""
    praise = _COMPLIMENT.search(folded) is not None
    words = set(re.findall(r"[a-z0-9]+", _COMPLIMENT.sub(" ", folded).replace("'s", "")))
    return not words & REQUEST_WORDS and (praise or bool(words & CHAT_REQUIRED))
