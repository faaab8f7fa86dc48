"""Dialogue acts the slot rules alone do not tell apart: help, compare, explain, feedback,
off-topic, and which facts a question asks for.

Every function reads folded (lower-case, accent-free) text. The extractor decides the act
from these cues together with the slots it found (an off-topic message is one with no slot
and no word of the domain).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from convrec.agent.frame import Fact, RequestFrame
from convrec.agent.nlu.lexicon import ITEM_NOUN
from convrec.agent.nlu.mentions import Mention

_HELP = re.compile(
    r"^\W*(?:help|\?+|commands?|menu|options|instructions|usage)\W*$|"
    r"\bwhat (?:else )?(?:can|could|do) (?:you|u|ya) (?:do|help with|offer)\b|"
    r"\bhow (?:does|do) (?:this|it|you) (?:thing )?work\b|\bhow do i (?:actually )?use\b|"
    r"\bwhat (?:kind of |sort of )?(?:stuff|things|questions) can i (?:ask|say|do)\b|"
    r"\bwhat (?:commands|options) (?:are there|do you have)\b|\bwhat are you able\b|"
    r"\bwhat (?:genres|kinds of (?:movies|films)) (?:do you|can you)\b|"
    r"\bwhat (?:can|could|should) (?:i|we) (?:ask|say|do|type)\b|\bwhat are (?:my|the) options\b|"
    r"\b(?:tips|instructions|guide|tutorial)\b.{0,30}\b(?:use|work)|"
    r"^\W*(?:instructions|tips|commands|options|usage)\W*(?:pls|please|plz)?\W*$|"
    r"\bexplain how (?:this|it|you) works?\b|\bshow me the commands\b|"
    r"\bwhat (?:kind|kinds|sort|type|types) of (?:movies|films|stuff) (?:do you|can you|you)\b|"
    r"\b(?:which|what) genres (?:do you|are there|have you|can you|you got|exist)\b|"
    r"^\W*(?:can (?:u|you) help(?: me)?|i need (?:some )?help|help me|help (?:pls|please|plz))"
    r"\W*$|\b(?:wat|wut|what) can (?:u|you|ya) do\b|"

    r"\bque puedes hacer\b|\bcomo funciona\b|\bque (?:peux|sais)[- ]tu faire\b|"
    r"\bcomment (?:ca|cela) marche\b|\bwas kannst du\b|\bwie funktioniert\b|\bhilfe\b|"
    r"\bayuda\b|\baide\b|"
    r"\bcan (?:you|u) (?:search|filter|find|look up|look|recommend|pick|sort)(?: things| stuff|"
    r" movies| films| games| books)? by\b|\bwhat can (?:you|u|ya) (?:even|actually|really) do\b|"
    r"\bwhat (?:kind|kinda|sort|sorts|type)(?: of)? (?:stuff|things|info|information|data|details) "
    r"(?:do|can) (?:you|u) (?:know|have|tell)\b|\bwhat (?:do|can) (?:you|u) (?:know|tell me) "
    r"about (?:each|every|a|the) (?:movie|film|game|book|item|title)s?\b|"
    r"\bdo (?:you|u) (?:know|have) (?:the )?(?:plots?|actors?|cast|directors?|runtimes?|"
    r"run ?times|crew|reviews|descriptions?)\b")
_COMPARE = re.compile(
    r"\b(?:vs\.?|versus|compare[sd]?|comparison|difference between)\b|"
    r"\bwhich (?:one |is |was |would |should |of (?:them|these|those|the two|the rest|the "
    r"others) )?"
    r"(?:is |was |one is )?(?:better|best|worse|more popular|rated higher|higher rated|"
    r"i watch|should i (?:watch|pick|see))\b|\bas good as\b|\bbetter than\b|"
    r"\bshould (?:i|we) (?:get|buy|pick|choose|play|watch|read|go for)\b.+\bor\b|"
    r"\bor\b.*\b(?:which|cant decide|can't decide|better)\b|"
    r"\bwhich (?:one |of (?:them|these|those|the two) )?(?:has|is|got|gets)\b.*"
    r"\b(?:better|higher|best|more|highest|most)\b|"
    r"\b(?:top|best|highest|most highly)[- ]rated (?:among|of) (?:those|these|them)\b|"
    r"\b(?:best|highest rated|top rated) (?:of|among) (?:those|these|them)\b|"
    r"\b(?:lowest|worst)[- ]rated\b.*\b(?:those|these|them)\b|"
    r"\bwhich (?:one |of (?:them|these|those) )?(?:is|was) (?:the )?(?:best|worst|lowest|"
    r"highest|top)[- ]rated\b|"
    r"\bwhich (?:one |of (?:them|these|those) )?(?:has|got|gets) (?:the )?(?:most|fewest|least) "
    r"(?:ratings|votes|reviews)\b|"
    r"\bwhich (?:one |of (?:them|these|those|the two|the rest|the others) )?(?:is|was|came out|"
    r"come out)?\s*"
    r"(?:the )?(?:newest|oldest|most recent|older|newer|earliest|latest)\b")
_EXPLAIN = re.compile(
    r"\bwhy(?:'d| did| do| would| have)?(?: you| u)? ?(?:pick|picked|choose|chose|chosen|"
    r"recommend|recommended|suggest|suggested|show|include|included|put)\b|"
    r"^\W*(?:but |and |so |ok |hmm )?why\b(?! not\b)|\bhow did you (?:choose|pick|decide|"
    r"come up)\b|^\W*(?:but |and |so |ok |hmm )?why not (?:more |any |some |something )?"
    r"(?:newer|older|recent|more recent|new|old|different|other)\b|"
    r"\bwhat made you (?:pick|choose|recommend|suggest|go with)\b|"
    r"\bexplain (?:your|these|those|the|this|that) (?:picks?|choices?|recommendations?|list)\b|"
    r"\bwhat makes (?:it|that|this|those|these|them|#|number|the)\b.*\b(?:pick|"
    r"choice|fit|good)\b|\bwhy (?:is|are) .{0,40}\b(?:on there|in the list|on the list|"
    r"there)\b|\breason for\b|\bhow come\b")
_FACTS: dict[Fact, re.Pattern[str]] = {
    "people": re.compile(r"\bwho\b(?!'?s? (?:won|is the president))|\b(?:cast|actors?|"
                         r"actress|starring|director|directed|directs|writer|composer|"
                         r"soundtrack|acting)\b"),
    "plot": re.compile(r"\bwhat(?:'s|s| is| was)\s+(?:\S+\s+)*?about\b|"
                       r"\bwhat\s+(?!about\b)(?:\S+\s+)+?about\b|"
                       r"\b(?:plot|storyline|ending|spoilers?|synopsis|summary|rated r|rated "
                       r"pg|age rating|mpaa|violent|violence|gore|sex scenes?|nudity)\b"),
    "runtime": re.compile(r"\bhow long\b|\b(?:runtime|run time|length|minutes|hours long|"
                          r"duration|play ?time)\b"),
    "players": re.compile(r"\bhow many (?:players|people can play)\b|\bplayer count\b|"
                          r"\bnumber of players\b|\b(?:solo|two[- ]player)\b"),
    "price": re.compile(r"\bhow much (?:is|does|do|are)\b|\b(?:price|prices|cost|costs|"
                        r"expensive|cheap)\b"),
    "publisher": re.compile(r"\b(?:publish\w*|publisher|who makes|who sells|brand)\b"),
    "complexity": re.compile(r"\b(?:complex|complexity|complicated|difficult|difficulty|"
                             r"hard to learn|easy to learn|rules? heavy|weight)\b"),
    "age": re.compile(r"\b(?:what age|age (?:range|rating)|too (?:hard|complex|scary) for "
                      r"(?:a|my) \d+|suitable for (?:a|my) \d+|\d+[- ]year[- ]old)\b"),
    "count": re.compile(r"\bhow many\b(?!\s+(?:people|users|ratings|times|stars|hours|"
                        r"minutes|players))|\bnumber of " + ITEM_NOUN + r"\b"),
    "rating": re.compile(r"\b(?:any good|good\?|worth (?:it|watching|a watch|seeing)|rating|"
                         r"rated|ratings|score|reviews?|how good|is it good|recommended)\b"),
}
_CATALOG_FACTS = frozenset({"rating"})  # asked facts the data may hold (ratings)
# Words that place a message in the recommender's domain (film nouns, asking for picks).
_DOMAIN = re.compile(
    r"\b(?:recommend\w*|suggest\w*|" + ITEM_NOUN[3:-1] + r"|watch\w*|play|something|anything|"
    r"picks?|recs?|show me|give me|gimme|looking for|in the mood|mood for|more|another|"
    r"others?|else|similar|genres?|seen|saw|peli\w*|pelicula\w*|filme?|cine|kino|ones?|"
    r"list|options?|titles?)\b")
# A question whether the catalog has a title, or for its facts ("do you have X?").
UNKNOWN_ASKED = re.compile(r"\b(?:do you have|have you got|you got|is there|in there|in the "
                            r"catalog|what year|when did|come out|came out|how many ratings|"
                            r"rating|how good is|tell me about)\b")
# A short question after a question about an item: "and pulp fiction?", "what about heat?"
FOLLOW_UP = re.compile(r"^\W*(?:and|what about|how about|and what about|also|ok and)\b[^.!]{0,60}"
                        r"\??\s*$")
# Asking for picks: a message with one of these is a request, not only feedback.
REQUEST_CUE = re.compile(r"\?|\b(?:recommend\w*|suggest\w*|show|give|gimme|more|another|else|"
                          r"something|anything|find|other|others|instead|any|some|looking for|"
                          r"want|need|similar|like (?:it|that|this|those|them))\b|"
                          + ITEM_NOUN + r"\s+(?:like|similar to)\b|^\W*(?:more |anything |stuff )?"
                          r"(?:like|similar to)\b")
QUESTION_LEAD = re.compile(r"(?:^|[.!?]\s)\W*(?:so |ok |hey |and |but )?(?:what|whats|who|whos|"
                            r"where|when|why|how|can you|could you|will you|would you|tell me|"
                            r"do you|are you|is it|is there|should i|did you)\b")
ASKS_FOR_PICKS = re.compile(r"\b(?:recommend\w*|suggest\w*|something|anything|watch|play|"
                             r"picks?|recs?|any|some|else|more|another)\b|\b" + ITEM_NOUN + r"\b")
# Praise of an item: "loved it", "the first one sounds great".
LIKED = re.compile(r"\b(?:lov\w*|lik\w*|enjoy\w*|adore\w*|great|awesome|amazing|fav\w*|"
                   r"brilliant|fantastic|best|perfect|good|cool|nice|sounds good)\b")
# Thanks or goodbye, even with more words around it.
CLOSING = re.compile(r"\b(?:thanks?|thank you|thx|ty|cheers|bye|goodbye|good bye|see you|"
                     r"merci|au revoir|gracias|adios|danke|tschuss|ciao|that's all|that is all|"
                     r"we'll go with|we will go with|i'll go with|i will go with)\b")
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|heya|hiya|howdy|yo|sup|good (?:morning|evening|"
                       r"afternoon)|hola|bonjour|salut|hallo|servus|thanks?|thank you|thx|ty|"
                       r"cheers|merci|gracias|danke)\b")


# Wishes about facts no catalog field holds, in a request: "2p games", "under 30 minutes".
_NUMBER = r"(?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_UNKNOWN_WISHES: dict[Fact, re.Pattern[str]] = {
    "players": re.compile(r"\b(?:\d+|" + _NUMBER[3:] + r"\s*-?\s*(?:p|players?|ppl|people|persons|"
                          r"friends|of us|kids)\b(?:\s+games?)?|\bsolo(?:\s+games?|\s+"
                          r"play)?\b(?!\s+(?:\d|one|two|three|four|five|due|tre|dos|tres|deux|trois|"
                          r"zwei|drei|uno|una|un|el|la|los|las|le|les|die|der|das|i|il))|"
                          r"\bplayer count\b|\b(?:just )?the two of us\b|\bfor "
                          r"(?:just )?(?:two|2)\b(?!\s*(?:min|hour|hrs|years?))|\b(?:big|"
                          r"large|huge) (?:group|crowd)s?\b|\bcouples?\b"),
    "runtime": re.compile(r"\b(?:under|less than|more than|over|at most|max(?:imum)?|about|"
                          r"around|within|takes?(?: more than| less than)?)?\s*\d+\s*(?:min|"
                          r"mins|minutes|hours?|hrs?)\b(?:\s+(?:long|tops|max))?|\bunder an "
                          r"hour\b|\b(?:quick|quicker|short|shorter|fast|long|longer|"
                          r"lengthy)(?=\s+(?:games?|ones?|play|plays|to play|filler|session))|"
                          r"\bfillers?\b|\bnot (?:too |that |so |2 |to )?long\b|\b(?:something|"
                          r"anything) (?:short|quick)\b|\b(?:shorter|longer|quicker)\b"),
    "publisher": re.compile(r"\b(?:published|made|released) by(?: [a-z&]+){1,3}|\bpublisher\b"),
    "price": re.compile(r"\b(?:cheap|cheaper|cheapest|inexpensive|affordable|budget|"
                        r"expensive|pricey)\b|\$\d+|\b\d+ ?(?:dollars|bucks|euros?|usd|eur)\b"),
    "complexity": re.compile(r"\b(?:heavy|heavier|heaviest|meaty|meatier|crunchy|weighty|complex|"
                             r"complicated|brain ?burners?|burns? your brain|lots of rules|"
                             r"easy to learn|simple rules|easy rules|(?:light|lighter|simple|"
                             r"simpler)(?=\s+(?:games?|ones?|rules|euros?|strategy))|"
                             r"(?:less|more) complex)\b"),
    "age": re.compile(r"\b(?:turning|aged?|ages)\s+\d+\b|\b\d+\s*(?:-|\s)?(?:year|yr)s?"
                      r"(?:\s*-?\s*olds?)\b|\b\d+\+"),
}


def unknown_wishes(folded: str) -> tuple[list[Fact], list[tuple[int, int]]]:
    """Facts a request asks for that no catalog field holds, and where they are said."""
    facts: list[Fact] = []
    spans: list[tuple[int, int]] = []
    for fact, pattern in _UNKNOWN_WISHES.items():
        found = [m.span() for m in pattern.finditer(folded)]
        if found:
            facts.append(fact)
            spans += found if fact != "age" else []  # "my 6 year old" also means kids
    return facts, spans


_SIDES = re.compile(r"(?:^|[,:;!?]\s*|\b(?:better|best|watch|pick|between|compare)\s*,?\s*)"
                    r"(?P<a>[a-z0-9' &:-]{1,40}?)\s+(?:or|vs\.?|versus|and)\s+"
                    r"(?P<b>[a-z0-9' &:-]{1,40}?)(?=\s*(?:[,.;!?]|$|\bwhich\b|\bcant\b|"
                    r"\bcan't\b|\bfor me\b))")
_LEAD_WORDS = re.compile(r"^(?:is|was|the movie|the film|number|#|between|compare|ok|so)\s+")


def compared_sides(folded: str, shown: Sequence[str], title_of: Callable[[str], str]
                   ) -> list[str]:
    """The two sides of "X or Y" / "X vs Y" in a comparison: shown items by number ("1 or
    3"), else `title_of` the words (a catalog title, or the words as written)."""
    match = _SIDES.search(folded)
    if match is None:
        return []
    first, second = (_LEAD_WORDS.sub("", g.strip()).strip() for g in match.groups())
    numbered = re.fullmatch(r"(?P<stem>.+?)\s*\d", first)
    if second.isdigit() and numbered:  # "terminator 1 or 2": the same series
        second = f"{numbered.group('stem')} {second}"
    sides = []
    for side in (first, second):
        if side.isdigit() and 1 <= int(side) <= len(shown):
            sides.append(shown[int(side) - 1])
        elif side:
            sides.append(title_of(side))
    return sides


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


def is_feedback(folded: str, frame: RequestFrame, forced: Sequence[Mention],
                 seen: Sequence[str], refining: bool) -> bool:
    """Only an opinion of items, with no request in the message: titles disliked, seen or
    liked ("I hated Titanic", "loved the first one!", "Star Wars is my all-time fav"; a
    liked title also gets picks like it). With a request under way, titles named (not
    referred to) refine it ("I've seen Forrest Gump already")."""
    others = frame.model_copy(update={"similar_to": [], "exclude_titles": [], "disliked": [],
                                      "moods": []})
    if others.has_constraints() or REQUEST_CUE.search(folded):
        return False
    referred = {m.title for m in forced}
    named = {*frame.similar_to, *frame.disliked, *seen} - referred
    if set(frame.exclude_titles) - set(seen) or (refining and named):
        return False
    return bool(frame.disliked or seen or (frame.similar_to and LIKED.search(folded)))


# A question about the world: who / where, with no item noun or request word in it.
_TRIVIA = re.compile(r"^\W*(?:so |ok |hey |and |but )?(?:who|whos|who's|where|wheres|where's)\b")


def is_off_topic(folded: str, frame: RequestFrame) -> bool:
    """A question or command with nothing of the domain in it ("what's the capital of
    France?", "tell me a joke"): chit-chat, not a search for its words."""
    rest = frame.model_copy(update={"query": None})
    if _TRIVIA.search(folded) and not in_domain(folded) and not rest.model_copy(update={
            "year_min": None, "year_max": None, "exclude_years": None}).has_constraints():
        return True  # "who won the world cup in 2018?": a year is no request for items
    if rest.has_constraints() or QUESTION_LEAD.search(folded) is None:
        return False
    return not in_domain(folded) or not (frame.query or ASKS_FOR_PICKS.search(folded))
