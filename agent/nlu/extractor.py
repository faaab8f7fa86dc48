"""The deterministic slot extractor: the fallback planner and the critic's reference.

`SlotExtractor(catalog).extract(message, previous)` fills a `RequestFrame` with rules and
fuzzy matching, no model. Order of work on one message: titles (they may contain genre
words or years: "Star Wars", "2001: A Space Odyssey") are found first and blanked out, then
years, popularity and genres; what the user means by each title comes from the cue words
around it; a soft query is kept only for leftover content. With a previous frame the
message may refine it (see `convrec.agent.frame` for the conventions and `merge_frames`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from convrec.agent.frame import RequestFrame, merge_frames, shift_years
from convrec.agent.nlu.lexicon import CHAT_REQUIRED, CHAT_WORDS, INFO_PATTERNS, REQUEST_WORDS
from convrec.agent.nlu.mentions import Mention, MentionFinder
from convrec.agent.nlu.slots import find_genres, find_popularity, soft_query, title_roles
from convrec.agent.nlu.years import YearSlots, parse_years
from convrec.recsys.catalog import Catalog
from convrec.recsys.titles import fold, search_key

_INFO = re.compile("|".join(INFO_PATTERNS))
_INFO_LEAD = re.compile(r"^\W*(?:so |and |ok |hey |but )?(?:is|was|does|did|has)\s+$")
_CHAT_PHRASE = re.compile(r"\b(?:what can you|who are you|how are you|what are you|what up)\b")
_NEW_TOPIC = re.compile(r"\b(?:forget (?:that|it|about that)|never ?mind|start over|scratch "
                        r"that|something (?:completely|totally|entirely) different|new search|"
                        r"different question|new request|from scratch)\b")
_REFINE = re.compile(r"\b(?:instead|rather|actually|what about|how about|older|newer|earlier|later|"
                     r"more recent|more like|like (?:that|this|those|these|them|it)|same|also|"
                     r"too|as well|but|only|just|now|less|more|even|again|another|other|"
                     r"else|make it|make them|similar|ones|them|those|these|seen it|sure|"
                     r"any more|switch|prefer|funnier|scarier|lighter|darker)\b")
_REPLACE = re.compile(r"\b(?:instead|rather|what about|how about|switch to|change to|"
                      r"actually(?!,? (?:make|also|add|and)\b))\b")
_WORD = re.compile(r"[a-z0-9']+")
# Praise for the assistant: chit-chat, and "funnier" in it asks for no comedy.
_COMPLIMENT = re.compile(r"\b(?:you|ur|u)(?:'re| are|re| r)?\s+(?:so |really |way |just |the |"
                         r"a )?(?:best|awesome|great|amazing|funny|funnier|smart|smarter|"
                         r"better|rock|rule|legend|genius|star|lifesaver|life saver)\b")
_TITLE_YEAR = re.compile(r"\s*[(\[]\s*(?:18|19|20)\d\d\s*[)\]]")


class SlotExtractor:
    """Fills request frames for one catalog; build once, call `extract` per message."""

    def __init__(self, catalog: Catalog):
        self.index = MentionFinder((r.title, r.display_title, r.popularity)
                                   for r in catalog.title_rows())
        self.genres: tuple[str, ...] = catalog.genres
        self.latest_year = catalog.latest_year() or 2000

    def titles_in(self, text: str) -> list[str]:
        """Display titles of the catalog titles mentioned in `text`, in text order."""
        return [m.title for m in self.index.find(text)]

    def canonical_title(self, title: str) -> str:
        """The display title whose search key (or alias) `title` is exactly, else `title`."""
        return self.index.titles.get(search_key(title), title)

    def extract(self, message: str, previous: RequestFrame | None = None) -> RequestFrame:
        """The frame for `message`; with `previous`, the effective frame after a refinement."""
        folded = fold(message)
        if _is_chat(folded):
            return RequestFrame(intent="chat")
        mentions = self.index.find(message)
        if mentions and self._is_question(folded, mentions):
            return RequestFrame(intent="info", about=[m.title for m in mentions])
        work = _blank(folded, [(m.start, _title_end(folded, m)) for m in mentions]
                      + [m.span() for m in _COMPLIMENT.finditer(folded)])
        years = parse_years(work, self.latest_year)
        work = _blank(work, years.spans)
        popularity, spans = find_popularity(work)
        work = _blank(work, spans)
        hits = find_genres(work, self.genres)
        roles = title_roles(folded, mentions)
        query = soft_query(_blank(work, [(h.start, h.end) for h in hits if not h.hint]),
                           message, len(_WORD.findall(folded)))
        frame = RequestFrame(
            genres=[h.value for h in hits if not h.negated],
            exclude_genres=[h.value for h in hits if h.negated],
            year_min=years.year_min, year_max=years.year_max,
            similar_to=[m.title for m, r in zip(mentions, roles) if r == "similar"],
            exclude_titles=[m.title for m, r in zip(mentions, roles) if r == "exclude"],
            query=query, popularity=popularity,  # type: ignore[arg-type]
        )
        frame = _without_conflicts(frame)
        if previous is not None and previous.intent == "recommend" and self._refines(
                folded, frame):
            return self._refine(folded, frame, years, previous)
        if years.relative is not None and not years.found:
            low, high = shift_years(None, years.relative, self.latest_year)
            frame = frame.model_copy(update={"year_min": low, "year_max": high})
        if not frame.has_constraints() and _is_small_talk(folded):
            return RequestFrame(intent="chat")
        return frame

    @staticmethod
    def _is_question(folded: str, mentions: Sequence[Mention]) -> bool:
        if _INFO.search(folded):
            return True
        return _INFO_LEAD.match(folded[:mentions[0].start]) is not None

    @staticmethod
    def _refines(folded: str, frame: RequestFrame) -> bool:
        if _NEW_TOPIC.search(folded):
            return False
        if _REFINE.search(folded):
            return True
        return not (frame.genres or frame.similar_to)

    def _refine(self, folded: str, frame: RequestFrame, years: YearSlots,
                previous: RequestFrame) -> RequestFrame:
        update: dict = {"refine": True}
        if years.relative is not None and not years.found:
            update["year_min"], update["year_max"] = shift_years(previous, years.relative,
                                                                 self.latest_year)
        elif years.found:
            update["year_min"], update["year_max"] = _narrow(years, previous)
        if frame.genres and not _REPLACE.search(folded):
            update["genres"] = [g for g in [*previous.genres, *frame.genres]
                                if g not in frame.exclude_genres]
        return merge_frames(previous, frame.model_copy(update=update))


def _narrow(years: YearSlots, previous: RequestFrame) -> tuple[int | None, int | None]:
    """A one-sided bound inside the previous range narrows it ("only after 1995")."""
    low, high = years.year_min, years.year_max
    prev_low, prev_high = previous.year_min, previous.year_max
    if low is not None and high is None and prev_high is not None and low <= prev_high and (
            prev_low is None or low >= prev_low):
        return low, prev_high
    if high is not None and low is None and prev_low is not None and high >= prev_low and (
            prev_high is None or high <= prev_high):
        return prev_low, high
    return low, high


def _without_conflicts(frame: RequestFrame) -> RequestFrame:
    """A genre both wanted and excluded stays wanted; a liked title is not excluded."""
    return frame.model_copy(update={
        "exclude_genres": [g for g in frame.exclude_genres if g not in frame.genres],
        "exclude_titles": [t for t in frame.exclude_titles if t not in frame.similar_to],
    })


def _is_chat(folded: str) -> bool:
    words = re.findall(r"[a-z0-9]+", folded.replace("'s", ""))
    if not words or not set(words) <= CHAT_WORDS:
        return False
    return bool(set(words) & CHAT_REQUIRED) or _CHAT_PHRASE.search(folded) is not None


def _is_small_talk(folded: str) -> bool:
    """A message with no slot, a chit-chat word or praise ("lol", "thanks", "you rock") and
    no request word."""
    praise = _COMPLIMENT.search(folded) is not None
    words = set(re.findall(r"[a-z0-9]+", _COMPLIMENT.sub(" ", folded).replace("'s", "")))
    return not words & REQUEST_WORDS and (praise or bool(words & CHAT_REQUIRED))


def _title_end(folded: str, mention: Mention) -> int:
    """End of a title mention, with the title's own year after it: "Heat (1995)"."""
    match = _TITLE_YEAR.match(folded, mention.end)
    return match.end() if match else mention.end


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
