"""Dialogue acts the slot rules alone do not tell apart: help, compare, explain, feedback,
off-topic, and which facts a question asks for.

Every function reads folded (lower-case, accent-free) text. The extractor decides the act
from these cues together with the slots it found (an off-topic message is one with no slot
and no word of the domain).
"""

from __future__ import annotations

import re

from convrec.agent.frame import Fact

_HELP = re.compile(
    r"^\W*(?:help|\?+|commands?|menu|options|instructions|usage)\W*$|"
    r"\bwhat (?:else )?(?:can|could|do) (?:you|u|ya) (?:do|help with|offer)\b|"
    r"\bhow (?:does|do) (?:this|it|you) (?:thing )?work\b|\bhow do i (?:actually )?use\b|"
    r"\bwhat (?:kind of |sort of )?(?:stuff|things|questions) can i (?:ask|say|do)\b|"
    r"\bwhat (?:commands|options) (?:are there|do you have)\b|\bwhat are you able\b|"
    r"\bwhat (?:genres|kinds of (?:movies|films)) (?:do you|can you)\b|"
    r"\bque puedes hacer\b|\bcomo funciona\b|\bque (?:peux|sais)[- ]tu faire\b|"
    r"\bcomment (?:ca|cela) marche\b|\bwas kannst du\b|\bwie funktioniert\b|\bhilfe\b|"
    r"\bayuda\b|\baide\b")
_COMPARE = re.compile(
    r"\b(?:vs\.?|versus|compare[sd]?|comparison|difference between)\b|"
    r"\bwhich (?:one |is |was |would |should |of (?:them|these|those|the two) )?"
    r"(?:is |was |one is )?(?:better|best|worse|more popular|rated higher|higher rated|"
    r"i watch|should i (?:watch|pick|see))\b|\bas good as\b|\bbetter than\b|"
    r"\bor\b.*\b(?:which|cant decide|can't decide|better)\b")
_EXPLAIN = re.compile(
    r"\bwhy(?:'d| did| do| would| have)?(?: you| u)? ?(?:pick|picked|choose|chose|chosen|"
    r"recommend|recommended|suggest|suggested|show|include|included|put)\b|"
    r"^\W*(?:but |and |so |ok |hmm )?why\b(?! not\b)|\bhow did you (?:choose|pick|decide|"
    r"come up)\b|\bwhat makes (?:it|that|this|those|these|them|#|number|the)\b.*\b(?:pick|"
    r"choice|fit|good)\b|\bwhy (?:is|are) .{0,40}\b(?:on there|in the list|on the list|"
    r"there)\b|\breason for\b")
_FACTS: dict[Fact, re.Pattern[str]] = {
    "people": re.compile(r"\bwho\b(?!'?s? (?:won|is the president))|\b(?:cast|actors?|"
                         r"actress|starring|director|directed|directs|writer|composer|"
                         r"soundtrack|plays|played|acting)\b"),
    "plot": re.compile(r"\bwhat(?:'s|s| is| was)\s+(?:\S+\s+)*?about\b|"
                       r"\bwhat\s+(?!about\b)(?:\S+\s+)+?about\b|"
                       r"\b(?:plot|storyline|ending|spoilers?|synopsis|summary|rated r|rated "
                       r"pg|age rating|mpaa|violent|violence|gore|sex scenes?|nudity)\b"),
    "runtime": re.compile(r"\bhow long\b|\b(?:runtime|run time|length|minutes|hours long|"
                          r"duration)\b"),
    "rating": re.compile(r"\b(?:any good|good\?|worth (?:it|watching|a watch|seeing)|rating|"
                         r"rated|ratings|score|reviews?|how good|is it good|recommended)\b"),
}
_CATALOG_FACTS = frozenset({"rating"})  # asked facts the data may hold (ratings)
# Words that place a message in the recommender's domain (film nouns, asking for picks).
_DOMAIN = re.compile(
    r"\b(?:recommend\w*|suggest\w*|movies?|films?|flicks?|watch\w*|something|anything|"
    r"picks?|recs?|show me|give me|gimme|looking for|in the mood|mood for|more|another|"
    r"others?|similar|genres?|seen|saw|peli\w*|pelicula\w*|filme?|cine|kino|ones?|"
    r"list|options?|titles?)\b")
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|heya|hiya|howdy|yo|sup|good (?:morning|evening|"
                       r"afternoon)|hola|bonjour|salut|hallo|servus|thanks?|thank you|thx|ty|"
                       r"cheers|merci|gracias|danke)\b")


def is_help(folded: str) -> bool:
    """"help", "what can you do?", "how does this work", and the same in es/fr/de."""
    return _HELP.search(folded) is not None


def is_compare(folded: str) -> bool:
    """A question that weighs two named items against each other."""
    return _COMPARE.search(folded) is not None


def is_explain(folded: str) -> bool:
    """"why did you pick that?", "why the third one?", "how did you choose those?"."""
    return _EXPLAIN.search(folded) is not None


def asked_facts(folded: str) -> list[Fact]:
    """Facts a question about an item asks for beyond year and genres, in a fixed order."""
    return [fact for fact, pattern in _FACTS.items() if pattern.search(folded)]


def missing_facts(asks: list[Fact], has_ratings: bool) -> list[Fact]:
    """The asked facts the catalog cannot answer (ratings only when the data has them)."""
    return [f for f in asks if f not in _CATALOG_FACTS or (f == "rating" and not has_ratings)]


def in_domain(folded: str) -> bool:
    """Does the message speak of the recommender's domain at all (items, picks, watching)?"""
    return _DOMAIN.search(folded) is not None


def is_greeting(folded: str) -> bool:
    return _GREETING.search(folded) is not None
