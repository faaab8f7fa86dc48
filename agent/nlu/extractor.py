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

from convrec.agent.frame import OLD_YEAR_MAX, RequestFrame, shift_years
from convrec.agent.nlu.amounts import count_patterns, find_count, wants_quality
from convrec.agent.nlu.dialogue import (
    CLOSING,
    FOLLOW_UP,
    QUESTION_LEAD,
    UNKNOWN_ASKED,
    asked_facts,
    compared_sides,
    in_domain,
    is_compare,
    is_explain,
    is_feedback,
    is_help,
    is_off_topic,
    unknown_wishes,
)
from convrec.agent.nlu.facets import FacetLexicon, extractor_vocabulary
from convrec.agent.nlu.lexicon import (
    CHAT_WORDS,
    INFO_PATTERNS,
    ITEM_NOUNS,
    REQUEST_WORDS,
    STOPWORDS,
)
from convrec.agent.nlu.mentions import Mention, MentionFinder
from convrec.agent.nlu.names import Name, find_people, find_unknown_titles
from convrec.agent.nlu.normalise import english_words, normalise
from convrec.agent.nlu.people import CatalogPeople
from convrec.agent.nlu.references import resolve_references
from convrec.agent.nlu.refine import Known, refine, refines
from convrec.agent.nlu.slots import (
    any_of_genres,
    find_moods,
    find_popularity,
    negated_at,
    soft_query,
    title_roles,
)
from convrec.agent.nlu.smalltalk import is_chat, is_small_talk, praise_spans
from convrec.agent.nlu.spans import blank, blank_like, merge_mentions, substitute, title_end
from convrec.agent.nlu.years import (
    YearSlots,
    anchored_years,
    parse_years,
    year_anchor,
)
from convrec.recsys.catalog import Catalog
from convrec.recsys.titles import fold, search_key, split_year

_INFO = re.compile("|".join(INFO_PATTERNS))
_INFO_LEAD = re.compile(r"^\W*(?:so |and |ok |hey |but )?(?:is|was|does|did|has|do you have|"
                        r"have you got|you got|got|is there)\s+(?:the (?:game|movie|film|book)"
                        r"\s+)?$")
# More by the people of the item talked about: "what else did he make?", "more by her"
_SAME_PEOPLE = re.compile(r"\b(?:what|anything|something) else (?:did|has|have|by) (?:he|she|"
                          r"they|him|her|them)\b|\bmore (?:by|from) (?:him|her|them|the same "
                          r"(?:designer|author|director|people|person))\b|\bsame (?:designer|"
                          r"author|director)\b|\b(?:did|do|has|have) (?:he|she|they) (?:do|"
                          r"make|made|design|designed|write|written|direct|directed|create|"
                          r"created) (?:anything|something|any) ?(?:else|other|more)\b|\b"
                          r"(?:other|more) \w+ (?:by|from) (?:him|her|them)\b")
# Asking for items ("what are good gateway games for people who know Catan?"): a request
# that names titles, not a question about them.
_ITEMS_ASKED = re.compile(r"\b(?:what|which|any|some)\b.{0,30}\b(?:movies|films|flicks|shows|"
                          r"series|games|books|titles|ones|picks|recommendations)\b")
_WORD = re.compile(r"[a-z0-9']+")
_SEEN_CUES = frozenset({"seen", "watched"})
_SERIES = re.compile(r"\b(?:list|show me|all|every|which|what)\b.{0,12}?\b(?:the|of the) "
                     r"(?P<name>[a-z0-9][a-z0-9 :'&-]{1,30}?) (?:films|movies|games|books|"
                     r"series)\b")
_REST = re.compile(r"\b(?:the rest|the others|the other ones|remaining)\b")
# Asking for items like the one talked about, naming none: "similar games?", "anything like it"
_SIMILAR = re.compile(r"\b(?:similar|alike|along those lines|in that vein|like (?:it|that|this))"
                      r"\b")
# Two titles and nothing but "or" and a question mark (titles blanked): which of the two?
_EITHER = re.compile(r"^\W*(?:(?:should|would|do) (?:i|we|you) \w+ )?\W*or\W*(?:for (?:\w+ ){0,2}"
                     r"\w+ ?)?\?")
# A question about "it" that names no title: about the title last talked about.
_ABOUT_IT = re.compile(r"\b(?:it|that|that one|this one|each|each one|each of them)\b|"
                       r"\b(?:genres?|year|rating|rated)\b")
# The two sides of a comparison: "fargo or scream", "1 or 3", "alien vs aliens".
# Asking for more like an item: "like it but better rated" is a request, not a question.
_LIKE_IT = re.compile(r"\b(?:like|similar to)\s+(?:it|that|this|that one|this one|those|these|"
                      r"them)\b")
_CUE_WORDS = frozenset("""movie movies film films flick flicks watch watched seen saw like
liked love loved please pls plz thanks stuff ones one something anything some any more less
older newer recent old new good great best top rated popular obscure from before after since
""".split())


class SlotExtractor:
    """Fills request frames for one catalog; build once, call `extract` per message."""

    def __init__(self, catalog: Catalog):
        self.genres: tuple[str, ...] = catalog.genres
        self.facets = FacetLexicon.from_catalog(self.genres, catalog.info)
        rows = catalog.title_rows()
        self.index = MentionFinder(((r.title, r.display_title, r.popularity) for r in rows),
                                   unlistable=frozenset(self.facets.phrases))
        self.latest_year = catalog.latest_year() or 2000
        self._count = count_patterns(self.facets.plural_words)
        self.people = CatalogPeople(catalog.people, _is_english)
        self._people_of = {i.display_title: i.names() for i in
                           catalog.items(catalog.all_ids())} if self.people else {}
        self._years = {r.display_title: r.year for r in rows if r.year}
        self._vocabulary = (STOPWORDS | REQUEST_WORDS | CHAT_WORDS | _CUE_WORDS | ITEM_NOUNS
                            | set(self.facets.noun_words))
        self.words = extractor_vocabulary(self.facets)

    def titles_in(self, text: str) -> list[str]:
        """Display titles of the catalog titles mentioned in `text`, in text order."""
        return [m.title for m in self.index.find(text)]

    def canonical_title(self, title: str) -> str:
        """The display title whose search key (or alias) `title` is exactly, else `title`."""
        return self.index.titles.get(search_key(title), title)

    def extract(self, message: str, previous: RequestFrame | None = None,
                shown: Sequence[str] = (), focus: Sequence[str] = ()) -> RequestFrame:
        """The frame for `message`; with `previous`, the effective frame after a refinement.

        `shown`: display titles of the agent's last reply, in order, and `focus`: the titles
        last talked about; references ("the second one", "it") name them, and follow-ups
        ("which is better?", "and Fargo?") ask about them.
        """
        return self.read(message, previous, shown, focus)[0]

    def read(self, message: str, previous: RequestFrame | None = None,
             shown: Sequence[str] = (), focus: Sequence[str] = ()
             ) -> tuple[RequestFrame, tuple[str, ...]]:
        """The frame (see `extract`) and the open words of `message` (see `_open_words`),
        from one search for titles."""
        found = self.index.find(message)
        return self._extract(message, found, previous, shown, focus), \
            self._open_words(message, found)

    def _extract(self, message: str, found: Sequence[Mention],
                 previous: RequestFrame | None, shown: Sequence[str],
                 focus: Sequence[str]) -> RequestFrame:
        original = fold(message)
        reading = normalise(message, self.words, [(m.start, m.end) for m in found])
        normalised, english = reading.text, reading.language == "en"
        if normalised != message:
            message, found = normalised, self.index.find(normalised)
        if is_help(original) or is_help(fold(message)):
            return RequestFrame(intent="help")
        said = fold(message)  # as written, before references become titles
        listed = focus if len(focus) >= 2 else shown  # "tell me about X and Y" -> "the first"
        references = resolve_references(said, listed, focus[0] if focus else None,
                                        [m.end for m in found])
        message, forced = substitute(message, references)
        folded = fold(message)
        if not forced and is_chat(folded):
            return RequestFrame(intent="chat")
        # titles are looked for again only where references put titles into the message
        mentions = merge_mentions(forced, self.index.find(message) if references else found)
        taken = [(m.start, title_end(folded, m)) for m in mentions]
        unknown = find_unknown_titles(folded, taken, self._explained)
        anchor = year_anchor(folded, [(m.start, m.title) for m in mentions], focus,
                             self._years)
        series = self._series(folded)
        if series:  # "list the Star Trek films": every title of the series, oldest first
            return RequestFrame(intent="info", about=series)
        maker = ([m.title for m in mentions] if len(mentions) == 1 else list(focus[:1])) \
            if _SAME_PEOPLE.search(folded) else []
        maker = [t for t in maker if self._people_of.get(t)]  # "what else did he make?"
        item_act = None if anchor or maker else self._item_act(folded, said, found, mentions,
                                                               unknown, shown, focus)
        if item_act is not None:
            return item_act
        frame, years, seen = self._request(message, folded, mentions, taken, unknown, english)
        if focus and not mentions and not frame.similar_to and _SIMILAR.search(folded):
            frame = frame.model_copy(update={"similar_to": [focus[0]]})  # "similar games?"
            previous = None
        if maker:  # "who made Pandemic and did they do anything else?"
            frame = RequestFrame(people=list(self._people_of[maker[0]]),
                                 exclude_titles=maker, count=frame.count)
            previous = None
        if anchor:  # "newer than Catan": the years are relative to that item's
            frame, years = anchored_years(frame, years, *anchor)
        if not mentions and "count" in asked_facts(folded):  # "how many horror films?"
            frame = self._refine(folded, frame, years, previous, shown) if previous and \
                refines(said, frame) else frame
            return frame.model_copy(update={"intent": "info", "asks": ["count"],
                                            "refine": False})
        if is_feedback(folded, frame, forced, seen, previous is not None):
            return frame.model_copy(update={"intent": "feedback"})
        if is_off_topic(folded, frame) or (CLOSING.search(folded) and not frame.model_copy(
                update={"query": None}).has_constraints()):
            return RequestFrame(intent="chat")
        if not frame.has_constraints() and is_small_talk(folded):
            return RequestFrame(intent="chat")  # "you rock!", "good to know" after picks
        if previous is not None and previous.intent == "recommend" and refines(
                said, frame):
            return self._refine(folded, frame, years, previous, shown)
        liked = [y for t in frame.similar_to if (y := self._years.get(t))]
        if years.relative is not None and not years.found and liked:  # "like X but newer"
            low, high = (None, liked[0] - 1) if years.relative == "older" else (liked[0] + 1,
                                                                                 None)
            frame = frame.model_copy(update={"year_min": low, "year_max": high})
        elif years.relative is not None and not years.found:
            low, high = shift_years(None, years.relative, self.latest_year)
            frame = frame.model_copy(update={"year_min": low, "year_max": high})
        elif years.not_old and not years.found:
            frame = frame.model_copy(update={"year_min": OLD_YEAR_MAX + 1})
        if not frame.has_constraints() and is_small_talk(folded):
            return RequestFrame(intent="chat")
        return frame

    def _item_act(self, folded: str, said: str, named: Sequence[Mention],
                  mentions: Sequence[Mention], unknown: Sequence[Name], shown: Sequence[str],
                  focus: Sequence[str]) -> RequestFrame | None:
        """Compare, explain or info: acts about named (or shown) items, or None. `said`:
        the message before references were replaced by titles; `named`: its titles."""
        titles = [m.title for m in mentions] + [u.text for u in unknown]
        rest = blank(folded, [(m.start, m.end) for m in mentions]
                      + [(u.start, u.end) for u in unknown])
        said_rest = blank(said, [(m.start, m.end) for m in named])
        if is_compare(rest) or is_compare(said_rest) or (  # titles blanked: "As Good As It Gets"
                len(mentions) == 2 and _EITHER.match(rest)):  # "Heat or Casino? (for mom)"
            titles = titles if len(titles) >= 2 else self._compared(said, shown) or titles
            if len(titles) < 2 and focus:  # "which is better?" after comparing or asking
                titles = list(dict.fromkeys([*focus, *titles]))
            if len(titles) < 2 and shown:  # "which one is best rated?" after a list
                rest = _REST.search(folded) is not None  # "which of the rest", not the one hated
                titles = [t for t in shown if not (rest and split_year(t)[0] in focus)]
            if len(titles) >= 2:
                return RequestFrame(intent="compare", about=titles)
        if shown and is_explain(said):
            return RequestFrame(intent="explain", about=[m.title for m in mentions])
        asks = asked_facts(rest)
        if mentions:
            facts = [a for a in asks if a not in ("rating", "count")]
            question = not _LIKE_IT.search(said) \
                and not _ITEMS_ASKED.search(folded, 0, mentions[0].start) and (
                self._is_question(folded, mentions) or _only_titles_asked(rest) or (
                    bool(asks) and len(folded.split()) <= 12 and not in_domain(rest)) or (
                    bool(facts) and QUESTION_LEAD.search(folded) is not None))
        else:  # only titles the catalog lacks: a question about them, unless it also asks
            question = bool(unknown) and (bool(asks) or UNKNOWN_ASKED.search(folded)
                                          is not None) and not in_domain(rest)
        if not titles and focus and [a for a in asks if a not in ("rating", "count")] \
                and not in_domain(rest) \
                and ("?" in folded or QUESTION_LEAD.search(folded)):
            # "who directed it?", "what's the plot?": about the title last talked about
            return RequestFrame(intent="info", about=list(focus[:1]), asks=asks)
        if not titles and focus and _ABOUT_IT.search(folded) and (
                "?" in folded or QUESTION_LEAD.search(folded)):  # "and what genre is it?"
            return RequestFrame(intent="info", about=list(focus[:1]), asks=asks)
        if not titles and not focus and shown and _ABOUT_IT.search(folded) and "count" not in \
                asks and not in_domain(rest) and ("?" in folded or QUESTION_LEAD.search(folded)):
            return RequestFrame(intent="info", about=list(shown), asks=asks)  # "that" of a list
        if focus and mentions and FOLLOW_UP.search(folded):  # "and pulp fiction?"
            return RequestFrame(intent="info", about=titles, asks=asks)
        return RequestFrame(intent="info", about=titles, asks=asks) if question else None

    def _series(self, folded: str) -> list[str]:
        """The titles a "the X films" / "all the X games" names when X starts several."""
        match = _SERIES.search(folded)
        if match is None:
            return []
        head = search_key(match.group("name"))
        if all(w in STOPWORDS for w in head.split()) or self.facets.find(head, negated_at):
            return []  # "all the best films", "the horror films"
        found = {title for key, title in self.index.titles.items()
                 if key == head or key.startswith(head + " ")}
        return sorted(found, key=lambda t: (self._years.get(t) or 0, t)) if len(found) >= 2 \
            else []

    def _compared(self, folded: str, shown: Sequence[str]) -> list[str]:
        """The two sides of "X or Y" / "X vs Y" in a comparison (see `compared_sides`)."""
        return compared_sides(folded, shown, self._title_of)

    def _title_of(self, phrase: str) -> str:
        """The catalog title a phrase names on its own ("terminator 1"), else the phrase."""
        exact = self.canonical_title(phrase)
        if exact != phrase:
            return exact
        found = self.index.find(phrase)
        if len(found) != 1:
            return phrase
        numbers = set(re.findall(r"\d+", phrase)) - set(re.findall(r"\d+", found[0].title))
        return phrase if numbers else found[0].title  # "toy story 2" is not Toy Story

    def _request(self, message: str, folded: str, mentions: Sequence[Mention],
                 taken: list[tuple[int, int]], unknown: Sequence[Name], english: bool = True
                 ) -> tuple[RequestFrame, YearSlots, list[str]]:
        """The recommendation frame (every slot read once, each span used by one slot), the
        years read, and the titles said to be seen."""
        count, count_spans = find_count(folded, self._count)
        quality, quality_spans = wants_quality(folded)
        unknowable, unknowable_spans = unknown_wishes(folded)
        work = blank(folded, taken + [(u.start, u.end) for u in unknown]
                      + count_spans + quality_spans + unknowable_spans
                      + praise_spans(folded))
        years = parse_years(work, self.latest_year)
        work = blank(work, years.spans)
        popularity, spans = find_popularity(work, self.facets.shadows)
        work = blank(work, spans)
        moods, mood_spans = find_moods(work, self.facets.shadows)
        work = blank(work, mood_spans)
        by = self.people.find(work, message) if self.people else []
        unwanted = {n for h in by if negated_at(work, h.start) for n in h.names}
        work = blank(work, [(h.start, h.end) for h in by])
        hits = self.facets.find(work, negated_at)
        any_of = any_of_genres(work, hits) or self.facets.wider_any(work, hits)
        roles = title_roles(folded, mentions)
        query = soft_query(blank(work, [(h.start, h.end) for h in hits if not h.hint]),
                           message, len(_WORD.findall(folded)))
        # unknown capitalised words are names only in English ("mit Freunden" is no person)
        people = find_people(blank_like(message, blank(work, [(h.start, h.end) for h in hits])),
                             taken, self._known, _is_english) if english else []
        cues = {u.text: u.cue for u in unknown}
        wanted = [h.value for h in hits if not h.negated and h.value not in any_of]
        kids = any(v in self.facets.children for v in wanted)
        if query and moods:
            query = " ".join(w for w in query.split()
                             if not any(w in m.split() for m in moods)) or None
        if query and people:
            named = {w.lower() for p in people for w in p.text.split()}
            query = " ".join(w for w in query.split()
                             if w.lower().removesuffix("'s") not in named) or None
        seen = [m.title for m, r in zip(mentions, roles) if r == "seen"]
        frame = RequestFrame(
            genres=wanted, genres_any=any_of if len(any_of) > 1 else [],
            exclude_genres=[v for h in hits if h.negated
                            for v in self.facets.wider.get(h.value, (h.value,))],
            year_min=years.year_min, year_max=years.year_max, exclude_years=years.exclude,
            similar_to=[m.title for m, r in zip(mentions, roles) if r == "similar"]
            + [t for t, c in cues.items() if c not in _SEEN_CUES],
            exclude_titles=[m.title for m, r in zip(mentions, roles) if r in ("exclude", "seen")]
            + [t for t, c in cues.items() if c in _SEEN_CUES],
            disliked=[m.title for m, r in zip(mentions, roles) if r == "disliked"],
            query=query, popularity=popularity,  # type: ignore[arg-type]
            people=[n for h in by for n in h.names if n not in unwanted]
            + [p.text for p in people],
            exclude_people=sorted(unwanted), count=count, quality=quality, moods=moods,
            asks=[a for a in unknowable if a != "age" or not kids],  # kids' facets say it
        )
        if len(any_of) == 1:
            frame.genres.append(any_of[0])
        return _without_conflicts(frame), years, seen

    def _refine(self, folded: str, frame: RequestFrame, years: YearSlots,
                previous: RequestFrame, shown: Sequence[str] = ()) -> RequestFrame:
        return refine(folded, frame, years, previous, Known(
            shown, self._years, self.latest_year, keep_people=bool(self.people)))

    def _explained(self, phrase: str) -> bool:
        """Does a phrase mean something other than a title (genres, years, moods, cues)?"""
        work = phrase
        years = parse_years(work, self.latest_year)
        work = blank(work, years.spans)
        if self.facets.find(work, negated_at) or find_popularity(work, self.facets.shadows)[0]:
            return True
        return not any(w not in self._vocabulary for w in _WORD.findall(work))

    def _open_words(self, message: str, found: Sequence[Mention]) -> tuple[str, ...]:
        """Words of `message` that may name a title the extractor did not find: outside the
        titles `found`, unknown to the extractor, and capitalised or no English word. Where
        there are none, a planner that can only add titles has nothing to add."""
        rest = blank(fold(message), [(m.start, m.end) for m in found])
        return tuple(m.group() for m in _WORD.finditer(rest)
                     if len(m.group()) >= 3 and not any(c.isdigit() for c in m.group())
                     and not self._known(m.group())
                     and (message[m.start():m.start() + 1].isupper()
                          or not _is_english(m.group())))

    def _known(self, word: str) -> bool:
        return word in self._vocabulary or bool(self.facets.find(word, negated_at))

    @staticmethod
    def _is_question(folded: str, mentions: Sequence[Mention]) -> bool:
        if _INFO.search(folded):
            return True
        return _INFO_LEAD.match(folded[:mentions[0].start]) is not None


def _without_conflicts(frame: RequestFrame) -> RequestFrame:
    """A genre both wanted and excluded stays wanted; a liked title is not excluded."""
    return frame.model_copy(update={
        "exclude_genres": [g for g in frame.exclude_genres
                           if g not in frame.genres and g not in frame.genres_any],
        "exclude_titles": [t for t in frame.exclude_titles if t not in frame.similar_to],
        "disliked": [t for t in frame.disliked if t not in frame.similar_to],
    })


def _is_english(word: str) -> bool:
    return word in english_words()


def _only_titles_asked(rest: str) -> bool:
    """Nothing but titles and a question mark ("3rd?", "Fargo?")."""
    return "?" in rest and not re.search(r"[a-z0-9]", rest)
