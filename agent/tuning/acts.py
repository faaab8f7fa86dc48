"""The richer corpus (generator version 3): every dialogue act and slot of the frame, and the
wording the slot extractor reads worst.

`RichWriter` adds to `CorpusWriter`'s requests: feedback, compare, explain and help acts,
questions about items with the facts asked (`asks`), count, quality, moods, any-of genres,
excluded years, people, narrowing refinements; and rewrites a share of the messages the way
people write when the rules break: long rambling messages, questions, negations, more typos,
and Spanish, French or German. Each message keeps the meaning of its parts, so the gold frame
is the same; `clean` keeps the plain-English form, whose reading by the slot extractor fills
the slots the generator does not choose (moods, count, quality words in fillers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from convrec.agent.frame import RequestFrame, merge_frames
from convrec.agent.tuning.corpus import CorpusExample, CorpusWriter, typo

FEEDBACK_DISLIKED = ("I hated {t}", "{t} was terrible", "{t} was so boring", "didn't like {t}",
                     "{t} was awful", "I really disliked {t}", "not a fan of {t} at all",
                     "{t} was a waste of time", "ugh, {t} was bad")
COMPARE = ("{t} or {u}, which is better?", "which is better, {t} or {u}?",
           "should I pick {t} or {u}?", "{t} vs {u}?", "{t} or {u}?",
           "which one is better: {t} or {u}")
EXPLAIN = ("why did you recommend {t}?", "why {t}?", "what made you pick {t}?",
           "why would I like {t}?", "how come you suggested {t}?")
HELP = ("what can you do?", "how does this work?", "help", "what can I ask you?",
        "how do I use this?", "what are you able to do?", "help me, how does this work")
# Info questions with the fact they ask about (`asks`); {t} is an item.
ASK_TEMPLATES: tuple[tuple[str, str | None], ...] = (
    ("who directed {t}?", "people"), ("who is in {t}?", "people"), ("who made {t}?", "people"),
    ("how long is {t}?", "runtime"), ("what is {t} about?", "plot"),
    ("what's the story of {t}?", "plot"), ("is {t} any good?", "rating"),
    ("is {t} worth it?", "rating"), ("what year is {t}?", None), ("tell me about {t}", None),
)
COUNT_WORDS = {1: ("one", "just one", "a single"), 2: ("two", "a couple of", "2"),
               3: ("three", "3", "a few"), 5: ("five", "5"), 10: ("ten", "10")}
QUALITY = ("top rated", "the best", "highest rated", "acclaimed", "best rated")
# Long messages: sentences that carry nothing the frame holds.
RAMBLE = ("so it's been a really long week at work and I finally have the evening to myself",
          "my partner fell asleep already and I am wide awake",
          "ok this might be a weird question but bear with me",
          "I've been scrolling for an hour and can't decide",
          "we just finished dinner and everyone is sitting around",
          "last time I asked a friend and it did not go well haha",
          "my brother is visiting this weekend and he is picky",
          "honestly I don't even know what I'm in the mood for",
          "it's raining outside and there is nothing else to do",
          "sorry for the long message, I just want to get this right")
QUESTION = ("do you have any {c}?", "are there any {c}?", "can you find {c}?",
            "what {c} would you suggest?", "know any {c}?", "is there something like {c}?")
NEGATED = ("I don't want anything {a}", "please nothing {a}", "definitely no {a}",
           "I'm not into {a}", "not {a} please", "nothing {a}, I beg you")
NARROW = ("only the {g} ones", "keep just the {g} ones", "just the {g} ones from those",
          "of those, only {g}", "which of these are {g}?")
EXCLUDE_YEARS = ("nothing from the {d}", "not from the {d}", "anything but the {d}",
                 "no {d} stuff", "skip the {d}")

# Other languages: (opener, "from the {d}" form, "no {g}", joiner) and genre words.
FOREIGN = {
    "es": {"open": ("quiero ", "recomiéndame ", "busco ", "dame ", "¿tienes "),
           "decade": "de los {d}", "no": "sin {g}", "and": " y ",
           "items": {"film": "películas", "game": "juegos"},
           "genres": {"Horror": "de terror", "Comedy": "comedias", "Action": "de acción",
                      "Drama": "dramas", "Romance": "románticas", "Sci-Fi": "de ciencia ficción",
                      "War": "de guerra", "Western": "del oeste", "Thriller": "de suspense",
                      "Animation": "animadas", "Crime": "policíacas", "Musical": "musicales",
                      "Mystery": "de misterio", "Documentary": "documentales",
                      "Fantasy": "de fantasía", "Adventure": "de aventuras",
                      "Children's": "para niños",
                      "Cooperative": "cooperativos", "Strategy": "de estrategia",
                      "Party": "para fiestas", "Card Game": "de cartas", "Dice": "de dados",
                      "Economic": "económicos",
                      "Deduction": "de deducción"}},
    "fr": {"open": ("je voudrais ", "je cherche ", "recommande-moi ", "donne-moi ",
                    "tu as "),
           "decade": "des années {d}", "no": "pas de {g}", "and": " et ",
           "items": {"film": "des films", "game": "des jeux"},
           "genres": {"Horror": "d'horreur", "Comedy": "comiques", "Action": "d'action",
                      "Drama": "dramatiques", "Romance": "romantiques",
                      "Sci-Fi": "de science-fiction", "War": "de guerre",
                      "Western": "western", "Thriller": "à suspense", "Animation": "d'animation",
                      "Crime": "policiers", "Musical": "musicaux", "Mystery": "à mystère",
                      "Documentary": "documentaires", "Fantasy": "fantastiques",
                      "Adventure": "d'aventure", "Children's": "pour enfants",
                      "Cooperative": "coopératifs", "Strategy": "de stratégie",
                      "Party": "d'ambiance", "Card Game": "de cartes", "Dice": "de dés",
                      "Economic": "économiques", "Deduction": "de déduction"}},
    "de": {"open": ("ich möchte ", "ich suche ", "empfiehl mir ", "gib mir ", "hast du "),
           "decade": "aus den {d}ern", "no": "kein {g}", "and": " und ",
           "items": {"film": "Filme", "game": "Spiele"},
           "genres": {"Horror": "Horror", "Comedy": "Komödien", "Action": "Action",
                      "Drama": "Dramen", "Romance": "Liebes", "Sci-Fi": "Science-Fiction",
                      "War": "Kriegs", "Western": "Western", "Thriller": "Thriller",
                      "Animation": "Zeichentrick", "Crime": "Krimi", "Musical": "Musical",
                      "Mystery": "Mystery", "Documentary": "Dokumentar",
                      "Fantasy": "Fantasy", "Adventure": "Abenteuer",
                      "Children's": "Kinder", "Cooperative": "kooperative",
                      "Strategy": "Strategie", "Party": "Party", "Card Game": "Karten",
                      "Dice": "Würfel", "Economic": "Wirtschafts", "Deduction": "Deduktions"}},
}


class RichWriter(CorpusWriter):
    """`CorpusWriter` with every dialogue act and the hard wording (see the module docstring)."""

    def __init__(self, *args, noun: str = "film", people: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.noun = noun
        self.people = list(people)

    # --- acts ------------------------------------------------------------------------------

    def feedback(self) -> CorpusExample:
        title = self.title()
        if self.rng.random() < 0.3:
            text = self.pick(["seen {t} already", "I've already seen {t}",
                              "already watched {t}"]).format(t=title.mention)
            frame = RequestFrame(intent="feedback", exclude_titles=[title.display])
        else:
            text = self.pick(FEEDBACK_DISLIKED).format(t=title.mention)
            frame = RequestFrame(intent="feedback", disliked=[title.display])
        return self._example(text, frame, "feedback")

    def compare(self) -> CorpusExample:
        first, second = self.title(), self.title()
        if first.display == second.display:
            return self.info()
        text = self.pick(COMPARE).format(t=first.mention, u=second.mention)
        return self._example(text, RequestFrame(intent="compare",
                                                about=[first.display, second.display]),
                             "compare")

    def explain(self) -> CorpusExample:
        title = self.title()
        text = self.pick(EXPLAIN).format(t=title.mention)
        return self._example(text, RequestFrame(intent="explain", about=[title.display]),
                             "explain")

    def help(self) -> CorpusExample:
        return self._example(self.pick(HELP), RequestFrame(intent="help"), "help")

    def ask(self) -> CorpusExample:
        """A question about an item, with the fact asked, or how many items there are."""
        if self.rng.random() < 0.2:
            genre = self.pick(self.genres)
            words = self.pick(self.words.noun[genre])
            text = self.pick(["how many {g} do you have?", "how many {g} are there?",
                              "number of {g} in the catalog?"]).format(g=words)
            return self._example(text, RequestFrame(intent="info", genres=[genre],
                                                    asks=["count"]), "ask-count")
        title = self.title()
        template, fact = self.pick(ASK_TEMPLATES)
        text = template.format(t=title.mention)
        frame = RequestFrame(intent="info", about=[title.display],
                             asks=[fact] if fact else [])
        return self._example(text, frame, "ask")

    def rich(self) -> CorpusExample:
        """A recommendation with the newer slots: count, quality, any-of genres, excluded
        years, people."""
        example = self.recommend()
        frame = example.frame.model_dump()
        message = example.message
        roll = self.rng.random()
        if roll < 0.25 and len(self.genres) >= 2:
            first, second = self.rng.sample(self.genres, 2)
            words = [self.pick(self.words.noun[g]) for g in (first, second)]
            if any(w in ("action", "drama", "horror", "comedy") for w in words):
                words = [self.pick(self.words.noun[g][:2]) for g in (first, second)]
            message = self.pick(["{a} or {b}", "either {a} or {b}", "{a} or maybe {b}",
                                 "{a}, or {b}, either is fine"]).format(a=words[0], b=words[1])
            frame = {"genres_any": [first, second]}
        elif roll < 0.45:
            if example.frame.year_min is not None or example.frame.year_max is not None:
                return self.rich()
            decade = self._decade()
            text = self.pick(EXCLUDE_YEARS).format(d=self._decade_text(decade))
            message = f"{message}, {text}" if self.rng.random() < 0.6 else f"{text}. {message}"
            frame["exclude_years"] = (decade, decade + 9)
        elif roll < 0.65:
            count = self.pick(list(COUNT_WORDS))
            word = self.pick(COUNT_WORDS[count])
            if word == "a few":
                return self.rich()
            noun = self.noun if count == 1 else self.words.items[0]
            message = self.pick(["give me {w} {n}", "{w} {n} please", "I want {w} {n}",
                                 "suggest {w} {n}"]).format(w=word, n=noun) + ": " + message
            frame["count"] = count
        elif roll < 0.8:
            message = f"{self.pick(QUALITY)} {message}" if self.rng.random() < 0.5 else \
                f"{message}, only the {self.pick(['best', 'top rated', 'highest rated'])}"
            frame["quality"] = True
        elif self.people:
            person = self.pick(self.people)
            surname = person.split()[-1]
            said = surname if self.rng.random() < 0.5 else person
            message = self.pick(["something by {p}", "{nouns} by {p}", "anything from {p}",
                                 "I like {p}, more of their {nouns}"]).format(
                p=said, nouns=self.words.items[0])
            frame = {"people": [person]}
        else:
            return self.rich()
        return replace(example, message=self.noise(message), frame=RequestFrame(**frame),
                       kind="rich", clean=message)

    def narrow(self) -> CorpusExample:
        """"only the comedies" after a list was shown: a refinement that picks from it."""
        previous = self.recommend().frame
        if previous.intent != "recommend" or not previous.has_constraints():
            previous = RequestFrame(genres=self.some_genres())
        genre = self.pick([g for g in self.genres if g not in previous.genres])
        word = self.pick(self.words.adj[genre])
        text = self.pick(NARROW).format(g=word)
        genres = sorted({*previous.genres, genre}, key=self.genres.index)
        gold = merge_frames(previous, RequestFrame(genres=genres, refine=True, narrow=True))
        return CorpusExample(self.noise(text), previous, gold, "narrow", clean=text)

    # --- hard wording ----------------------------------------------------------------------

    def hard(self) -> CorpusExample:
        """A request written the way the rules read worst; the gold frame is unchanged."""
        example = self.recommend()
        text, roll = example.clean or example.message, self.rng.random()
        if roll < 0.3:
            sentences = self.rng.sample(RAMBLE, self.rng.choice([1, 2, 2, 3]))
            at = self.rng.randrange(len(sentences) + 1)
            parts = [*sentences[:at], text, *sentences[at:]]
            message = ". ".join(parts) + self.pick(["", ".", "!", " thanks", " lol"])
        elif roll < 0.5:
            core = re.sub(r"^(recommend|show me|give me|i want|looking for|find me|"
                          r"suggest|any good|got any|need|any|some)\s+", "", text, flags=re.I)
            message = self.pick(QUESTION).format(c=core.rstrip("?!. "))
        elif roll < 0.7:
            genre = self.pick([g for g in self.genres if g not in example.frame.genres])
            word = self.pick(self.words.adj[genre])
            message = f"{text}. {self.pick(NEGATED).format(a=word)}"
            exclude = [*example.frame.exclude_genres, genre]
            return replace(example, message=self.noise(message), kind="hard-negation",
                           frame=example.frame.model_copy(update={"exclude_genres": exclude}),
                           clean=message)
        else:
            message = text
            for _ in range(self.rng.choice([1, 2, 3])):
                message = typo(message, self.rng)
            return replace(example, message=message, kind="hard-typos", clean=text)
        return replace(example, message=self.noise(message), kind="hard", clean=message)

    def foreign(self) -> CorpusExample:
        """A short request in Spanish, French or German: genres, a decade, a refused genre."""
        language = self.pick(list(FOREIGN))
        table = FOREIGN[language]
        known = [g for g in self.genres if g in table["genres"]]
        if len(known) < 2:
            return self.hard()
        genres = [self.pick(known)]
        items = table["items"].get(self.noun, table["items"]["film"])
        text = f"{self.pick(table['open'])}{items} {table['genres'][genres[0]]}"
        frame: dict = {"genres": genres}
        if self.rng.random() < 0.5:
            decade = self._decade()
            short = f"{decade % 100:02d}" if decade < 2000 else str(decade)
            text += " " + table["decade"].format(d=short)
            frame["year_min"], frame["year_max"] = decade, decade + 9
        if self.rng.random() < 0.35:
            refused = self.pick([g for g in known if g not in genres])
            text += f", {table['no'].format(g=table['genres'][refused])}"
            frame["exclude_genres"] = [refused]
        text += self.pick(["", "", "?", " por favor" if language == "es" else
                           " s'il te plaît" if language == "fr" else " bitte"])
        return self._example(text, RequestFrame(**frame), f"foreign-{language}")

    # --- helpers ---------------------------------------------------------------------------

    def _example(self, text: str, frame: RequestFrame, kind: str,
                 previous: RequestFrame | None = None) -> CorpusExample:
        return CorpusExample(self.noise(text), previous, frame, kind, clean=text)

    def _decade(self) -> int:
        top = self.latest - self.latest % 10
        return self.pick([d for d in range(top - 60, top + 1, 10) if d >= 1920])

    def _decade_text(self, decade: int) -> str:
        return f"{decade % 100:02d}s" if decade < 2000 else f"{decade}s"

