"""The tuned planner's training corpus: requests written from the catalog's vocabulary, each
with its gold request frame.

It lives in `agent/` because it is written against the agent's labeling convention (the
`convrec.agent.frame` docstring) and its year rules (`shift_years`, `merge_frames`); it reads
the catalog from `recsys`, which may not import the agent.

Requests are composed from parts (opener, popularity, years, genres, topic, liked and seen
titles, refused genres, filler) whose meaning is known, so every gold frame follows from the
parts chosen. Titles come from the catalog (weighted by popularity) and are written as people
write them: lower case, without the leading article, without the subtitle, with typos.
Multi-turn refinements carry the previous frame. `build` mixes the kinds of request into a
seeded, deduplicated corpus and removes anything close to a labeled request.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from convrec.agent.frame import OLD_YEAR_MAX, RECENT_SPAN, RequestFrame, merge_frames, shift_years
from convrec.agent.tuning import phrases as P
from convrec.agent.tuning.words import CorpusWords, movielens_words

GENERATOR_VERSION = "3"
DECADE_WORDS = {1920: "twenties", 1930: "thirties", 1940: "forties", 1950: "fifties",
                1960: "sixties", 1970: "seventies", 1980: "eighties", 1990: "nineties"}


@dataclass(frozen=True)
class CorpusExample:
    """One training request: message, previous frame (refinements), the gold frame, and the
    draft the tuned planner checks (`convrec.agent.tuning.drafts`)."""

    message: str
    previous: RequestFrame | None
    frame: RequestFrame
    kind: str = "request"
    draft: RequestFrame | None = None
    clean: str | None = None  # the plain-English form whose reading fills unchosen slots


@dataclass(frozen=True)
class _Years:
    text: str
    low: int | None
    high: int | None
    before_noun: bool  # "80s horror" vs "horror from the 80s"


@dataclass(frozen=True)
class _Title:
    display: str  # the gold form (catalog display title, with the same cuts as the mention)
    mention: str  # as the user writes it


class CorpusWriter:
    """Writes requests with gold frames; one seeded random generator drives every choice."""

    def __init__(self, genres: Sequence[str], titles: Sequence[tuple[str, int]],
                 latest_year: int, seed: int = 0, words: CorpusWords | None = None):
        self.words = words or movielens_words()
        self.genres = [g for g in genres if g in self.words.adj]
        self.topics = [t for t in P.GENRE_TOPICS if t[2] in self.genres]
        self.titles = [t for t, _ in titles]
        self.weights = [max(p, 1) ** 0.5 for _, p in titles]
        self.latest = latest_year
        self.rng = random.Random(seed)

    # --- parts -----------------------------------------------------------------------------

    def pick(self, options: Sequence):
        return options[self.rng.randrange(len(options))]

    def title(self) -> _Title:
        display = self.rng.choices(self.titles, self.weights)[0]
        text = re.sub(r"\s*\([^)]*\)", "", display).strip() or display
        if ":" in text and self.rng.random() < 0.35 and len(text.split(":")[0]) >= 4:
            text = text.split(":")[0].strip()
        gold, written = text, text
        article = re.match(r"(?i)^(the|a|an) (.+)$", written)
        if article and self.rng.random() < 0.3:
            written = article.group(2)
        roll = self.rng.random()
        if roll < 0.45:
            written = written.lower()
        elif roll < 0.5:
            written = written.upper()
        if self.rng.random() < 0.12:
            written = typo(written, self.rng)
        return _Title(gold, written)

    def years(self) -> _Years:
        rng, kind = self.rng, self.rng.random()
        shift = max(0, self.latest - self.latest % 10 - 1990)  # a catalog of later years
        decade = shift + rng.choice([1930, 1940, 1950, 1960, 1970, 1970, 1980, 1980, 1990,
                                     1990, 1990])
        last = min(1998 + shift, self.latest)
        year = rng.choice([rng.randint(1935 + shift, last), rng.randint(1975 + shift, last),
                           rng.randint(1985 + shift, last)])
        short = f"{decade % 100:02d}s" if decade < 2000 else f"{decade}s"
        if kind < 0.28:
            words = [(DECADE_WORDS[decade], True), (f"from the {DECADE_WORDS[decade]}", False)] \
                if decade in DECADE_WORDS else []
            text, pre = self.pick([(short, True), (f"'{short}", True), (f"{decade}s", True),
                                   *words, (f"from the {short}", False),
                                   (f"from the {decade}s", False), (f"of the {short}", False),
                                   (f"made in the {short}", False), (f"in the {short}", False)])
            return _Years(text, decade, decade + 9, pre)
        if kind < 0.38:
            part, low, high = self.pick([("early", 0, 3), ("mid", 4, 6), ("late", 7, 9),
                                         ("mid-", 4, 6)])
            sep = "" if part.endswith("-") else " "
            text = self.pick([f"{part}{sep}{short}", f"{part}{sep}{decade}s"])
            pre = rng.random() < 0.5
            return _Years(text if pre else f"from the {text}", decade + low, decade + high, pre)
        if kind < 0.5:
            text, pre = self.pick([(str(year), True), (f"from {year}", False),
                                   (f"in {year}", False), (f"released in {year}", False),
                                   (f"made in {year}", False), (f"that came out in {year}", False)])
            return _Years(text, year, year, pre)
        if kind < 0.58:
            end = min(year + rng.randint(1, 12), self.latest)
            start = min(year, end - 1)
            text = self.pick([f"between {start} and {end}", f"from {start} to {end}",
                              f"{start}-{end}", f"{start} to {end}"])
            return _Years(text, start, end, False)
        if kind < 0.85:
            return self._bound(year, decade, short)
        if kind < 0.93:
            text = self.pick(["recent", "new", "latest", "newer", "brand new", "modern"])
            if rng.random() < 0.3:
                return _Years(self.pick(["from the last few years", "that are new",
                                         "that came out recently"]),
                              self.latest - RECENT_SPAN, None, False)
            return _Years(text, self.latest - RECENT_SPAN, None, True)
        text = self.pick(["old", "classic", "old school", "golden age", "vintage", "oldie"])
        if rng.random() < 0.3:
            return _Years(self.pick(["from the golden age", "from the old days",
                                     "that are really old"]), None, OLD_YEAR_MAX, False)
        return _Years(text, None, OLD_YEAR_MAX, True)

    def _bound(self, year: int, decade: int, short: str) -> _Years:
        options = [
            (f"before {year}", None, year - 1), (f"older than {year}", None, year - 1),
            (f"pre-{year}", None, year - 1), (f"made before {year}", None, year - 1),
            (f"after {year}", year + 1, None), (f"newer than {year}", year + 1, None),
            (f"post-{year}", year + 1, None), (f"made after {year}", year + 1, None),
            (f"since {year}", year, None), (f"{year} or later", year, None),
            (f"from {year} on", year, None), (f"from {year} onwards", year, None),
            (f"until {year}", None, year), (f"up to {year}", None, year),
            (f"{year} or earlier", None, year), (f"no later than {year}", None, year),
            (f"before the {short}", None, decade - 1), (f"after the {short}", decade + 10, None),
            (f"since the {short}", decade, None), (f"nothing older than {year}", year, None),
            (f"nothing before {year}", year, None), (f"nothing after {year}", None, year),
        ]
        text, low, high = self.pick(options)
        if low is not None and low > self.latest:
            return self._bound(min(year, self.latest - 2), decade, short)
        return _Years(text, low, high, False)

    def genre_words(self, genres: Sequence[str]) -> str:
        """The words for a set of wanted genres (all must hold)."""
        movies = self.pick(self.words.items)
        if len(genres) == 1:
            if self.rng.random() < 0.5:
                return self.slip(self.pick(self.words.noun[genres[0]]))
            return f"{self.slip(self.pick(self.words.adj[genres[0]]))} {movies}"
        adjectives = [self.slip(self.pick(self.words.adj[g])) for g in genres]
        roll = self.rng.random()
        if roll < 0.4:
            first, second = self.rng.sample(list(genres), 2)
            return f"{self.pick(self.words.adj[first])} {self.pick(self.words.head[second])}"
        if roll < 0.6:
            return " and ".join(adjectives) + f" {movies}"
        return " ".join(adjectives) + f" {movies}"

    def slip(self, word: str) -> str:
        """A genre word, now and then with a typo ("horor", "comdy")."""
        return typo(word, self.rng) if self.rng.random() < 0.1 else word

    def refused(self, genre: str) -> str:
        form = self.pick(P.EXCLUDE_GENRE)
        word = self.pick(self.words.adj[genre] + self.words.noun[genre])
        return form.format(g=re.sub(r"^(an?|something) ", "", word))

    def some_genres(self, most: int = 2) -> list[str]:
        count = 1 if self.rng.random() < 0.7 or most < 2 else 2
        return sorted(self.rng.sample(self.genres, count), key=self.genres.index)

    # --- requests --------------------------------------------------------------------------

    def recommend(self) -> CorpusExample:
        """A fresh recommendation request composed from optional parts."""
        rng, frame = self.rng, {}
        genres = self.some_genres() if rng.random() < 0.7 else []
        years = self.years() if rng.random() < 0.45 else None
        popularity = rng.choice(["popular", "obscure"]) if rng.random() < 0.16 else None
        topic, topic_first = None, False
        if rng.random() < 0.14:
            topic_first = rng.random() < 0.4
            topic = self.pick(P.TOPIC_ADJ if topic_first else P.TOPICS)
        elif rng.random() < 0.03 and self.topics:
            phrase, query, genre = self.pick(self.topics)
            topic = (phrase, query)
            genres = sorted(set(genres) | {genre}, key=self.genres.index)
        liked = [self.title() for _ in range(rng.choice([1, 1, 1, 2]))] \
            if rng.random() < 0.22 else []
        seen = [self.title() for _ in range(rng.choice([1, 1, 2, 3]))] \
            if rng.random() < 0.12 else []
        refused = [g for g in self.some_genres() if g not in genres] \
            if rng.random() < 0.18 else []
        core = self.genre_words(genres) if genres else self.pick(
            [*self.words.items[:2], "something", "anything", "stuff"])
        if topic_first:
            core = f"{topic[0]} {core}" if genres else f"{topic[0]} {self.pick(self.words.items)}"
        pre, post = [], []
        if popularity:
            if rng.random() < 0.7:
                pre.append(self.pick(P.POPULAR_ADJ if popularity == "popular"
                                     else P.OBSCURE_ADJ))
            else:
                post.append(self.pick(P.POPULAR_TAIL if popularity == "popular"
                                      else P.OBSCURE_TAIL))
        if rng.random() < 0.12:
            pre.append(self.pick(P.MOODS))
        if years:
            if years.before_noun and core not in ("something", "anything"):
                pre.append(years.text)
            else:
                post.append(_as_tail(years) if years.before_noun else years.text)
        if topic and not topic_first:
            post.append(topic[0])
        if liked:
            names = _join([t.mention for t in liked])
            post.append(self.pick(P.SIMILAR).format(t=names))
        if refused:
            post.append(_join([self.refused(g) for g in refused]))
        seen_form = self.pick(P.SEEN)
        if seen:
            post.append(seen_form.format(t=_join([t.mention for t in seen])))
        rng.shuffle(post)
        body = " ".join([*pre, core])
        separators = [", ", " ", ", ", "; ", ". "]
        text = body
        for piece in post:
            text += self.pick(separators) + piece
        opener = self.pick(P.OPENERS)
        message = self.pick(P.PREAMBLES) + opener + text + self.pick(P.CLOSERS)
        if opener in P.COUNT_OPENERS and core not in ("something", "anything"):
            frame["count"] = P.COUNT_OPENERS[opener]
        if topic and topic[1] in P.PEOPLE:  # a person named is the people slot, not a query
            frame["people"] = [topic[1]]
            topic = None
        if genres:
            frame["genres"] = genres
        if refused:
            frame["exclude_genres"] = refused
        if years:
            frame["year_min"], frame["year_max"] = years.low, years.high
        if liked:
            frame["similar_to"] = [t.display for t in liked]
        if seen:  # "I hated X" is a disliked title, "I've seen X" an excluded one
            slot = "disliked" if seen_form in P.DISLIKED else "exclude_titles"
            frame[slot] = [t.display for t in seen if t.display not in
                           frame.get("similar_to", [])]
        if topic:
            frame["query"] = topic[1]
        if popularity:
            frame["popularity"] = popularity
        return CorpusExample(self.noise(message), None, RequestFrame(**frame), "recommend",
                             clean=message)

    def info(self) -> CorpusExample:
        if self.rng.random() < 0.15:
            first, second = self.title(), self.title()
            text = self.pick(P.INFO_PAIR_TEMPLATES).format(t=first.mention, u=second.mention)
            about = [first.display, second.display]
        else:
            first = self.title()
            text = self.pick(P.INFO_TEMPLATES).format(t=first.mention)
            about = [first.display]
        text = self.pick(P.PREAMBLES[:8]) + text
        return CorpusExample(self.noise(text), None, RequestFrame(intent="info", about=about),
                             "info", clean=text)

    def chat(self) -> CorpusExample:
        text = self.pick(P.CHAT) + self.pick(["", "", "!", " :)", "!!", "."])
        return CorpusExample(self.noise(text), None, RequestFrame(intent="chat"), "chat",
                             clean=text)

    def empty(self) -> CorpusExample:
        text = self.pick(P.EMPTY_REQUESTS)
        return CorpusExample(self.noise(text), None, RequestFrame(), "empty", clean=text)

    def refinement(self) -> CorpusExample:
        """A follow-up to a previous recommendation frame, with the effective frame as gold."""
        previous = self.recommend().frame
        if previous.intent != "recommend" or not previous.has_constraints():
            previous = RequestFrame(genres=self.some_genres())
        rng, roll = self.rng, self.rng.random()
        if roll < 0.08:
            example = self.chat()
            return replace(example, previous=previous, kind="refine-chat")
        if roll < 0.14:
            example = self.info()
            return replace(example, previous=previous, kind="refine-info")
        if roll < 0.22:
            example = self.recommend()
            message = self.pick(P.FORGET) + example.message
            return CorpusExample(message, previous, example.frame, "refine-new",
                                 clean=message[:-len(example.message)] + (example.clean or ""))
        text, current = self._cue(previous)
        if rng.random() < 0.15:
            text = self.pick(["ok ", "hmm ", "great, ", "nice. ", "cool, ", "sure, ",
                              "no, "]) + text
        gold = merge_frames(previous, RequestFrame(**current, refine=True))
        return CorpusExample(self.noise(text), previous, gold, "refine", clean=text)

    def _cue(self, previous: RequestFrame) -> tuple[str, dict]:
        roll = self.rng.random()
        if roll < 0.08:
            return self.pick(P.MORE_LIKE_THAT), {}
        if roll < 0.3:
            direction = "older" if self.rng.random() < 0.55 else "newer"
            low, high = shift_years(previous, direction, self.latest)
            return self.pick(P.OLDER if direction == "older" else P.NEWER), \
                {"year_min": low, "year_max": high}
        if roll < 0.43:
            genre = self.pick([g for g in self.genres if g not in previous.genres])
            word = self.pick(self.words.noun[genre] + self.words.adj[genre])
            return self.pick(P.INSTEAD).format(g=word), {"genres": [genre]}
        if roll < 0.52:
            genre = self.pick([g for g in self.genres if g not in previous.genres])
            text = self.pick(P.ALSO_GENRE).format(a=self.pick(self.words.adj[genre]))
            genres = sorted({*previous.genres, genre}, key=self.genres.index)
            return text, {"genres": genres}
        if roll < 0.63:
            genre = self.pick([g for g in self.genres if g not in previous.genres])
            return self.pick(["", "also ", "and ", "but "]) + self.refused(genre), \
                {"exclude_genres": [genre]}
        if roll < 0.72:
            title = self.title()
            text = self.pick(["I've seen {t} already", "not {t}, seen it", "seen {t}",
                              "already watched {t}", "{t} I've seen", "no {t} please",
                              "not {t} again"]).format(t=title.mention)
            return text, {"exclude_titles": [title.display]}
        if roll < 0.85:
            years = self.years()
            text = self.pick(P.REFINE_YEARS).format(y=years.text)
            return text, {"year_min": years.low, "year_max": years.high}
        if roll < 0.93:
            kind = self.pick(["obscure", "popular"])
            return self.pick(P.REFINE_POP[kind]), {"popularity": kind}
        title = self.title()
        text = self.pick(["something like {t} instead", "more like {t} then",
                          "what about like {t}?", "ones similar to {t}"]).format(t=title.mention)
        return text, {"similar_to": [title.display]}

    def noise(self, text: str) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            text = text.lower()
        elif roll < 0.38:
            text = text.upper()
        elif roll < 0.7 and text[:1].isalpha():
            text = text[0].upper() + text[1:]
        if self.rng.random() < 0.08:
            text = typo(text, self.rng)
        return re.sub(r"\s+", " ", text).strip()


def typo(text: str, rng: random.Random) -> str:
    """One slip in a word of five or more letters: a dropped, doubled or swapped letter."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word, at = words[i], rng.randrange(1, len(words[i]) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        word = word[:at] + word[at + 1:]
    elif kind == 1:
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    words[i] = word
    return " ".join(words)


def _as_tail(years: _Years) -> str:
    """A before-the-noun year phrase ("80s", "1995", "old") as one after it."""
    text = years.text
    if re.fullmatch(r"\d{4}", text):
        return f"from {text}"
    if re.search(r"\d|ties\b", text):
        return f"from the {text.lstrip(chr(39))}"
    return text


def _join(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
