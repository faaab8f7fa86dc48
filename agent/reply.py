"""The text of a turn's reply, per dialogue act, and the true reason each pick carries.

`reply_text` turns the final attempt into words: a list of picks (through the `Responder`,
which may add one LLM sentence), or the answer to help, chit-chat, feedback, a question,
a comparison or "why?". Notes ride along: titles the catalog lacks, people it cannot
search by, a shortened message, a dropped condition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from convrec.agent import answers
from convrec.agent.answers import CatalogFacts, people
from convrec.agent.compiler import FACET, Grounded
from convrec.agent.describe import describe_frame
from convrec.agent.frame import RequestFrame
from convrec.agent.responder import Responder
from convrec.agent.trace import RecommendedItem
from convrec.recsys.catalog import CatalogItem


@dataclass(frozen=True)
class Outcome:
    """What the reply is about: the executed frame, grounded, and the items it gives."""

    frame: RequestFrame
    grounded: Grounded
    items: Sequence[RecommendedItem]
    explained: Sequence[str] = ()  # titles an explanation is about
    # (what was asked for, how it was ranked, what the one item shares with the liked ones)
    explanation: tuple[str, str, str] = ("", "", "")
    wish_dropped: bool = False  # a free-text wish no item's text mentions was left out
    counted: int | None = None  # the answer to "how many ...?"


def reply_text(outcome: Outcome, message: str, notes: Sequence[str], responder: Responder,
               facts: CatalogFacts) -> str:
    """The reply for one turn."""
    frame, grounded = outcome.frame, outcome.grounded
    notes = [*notes, *_honesty_notes(grounded, facts)]
    act = frame.intent
    if act == "recommend" and (other := answers.other_domain(message, facts)):
        notes.insert(0, f"This catalog has {facts.nouns}, not {other}; here are {facts.nouns} "
                        "for the rest of what you asked.")
    if act == "help":
        return "\n".join([answers.help_text(facts), *notes])
    if act == "chat":
        return "\n".join([answers.chat_text(message, facts), *notes])
    if act == "feedback":
        body = answers.feedback_text(grounded.frame.similar_to, grounded.frame.disliked,
                                     grounded.frame.exclude_titles)
        if not (grounded.similar_ids or grounded.disliked_ids or grounded.exclude_ids):
            return "\n".join(notes or ["Noted."])
        picks = [responder.recommend(message, grounded.frame, outcome.items, ())] \
            if outcome.items else []
        return "\n".join([*notes, body, *picks])
    if act == "info" and outcome.counted is not None:
        return "\n".join([*notes, answers.count_text(outcome.counted, _counted(frame, facts),
                                                      facts)])
    if act == "info":
        body = answers.info_text(outcome.items, frame.asks, facts) if outcome.items else ""
        return "\n".join(p for p in [*notes, body] if p) or _nothing_found(facts)
    if act == "compare":
        body = answers.compare_text(outcome.items, facts, _ASKS_YEAR.search(message.lower())
                                    is not None) if outcome.items else ""
        return "\n".join(p for p in [*notes, body] if p) or _nothing_found(facts)
    if act == "explain":
        if not outcome.explanation[1]:
            return "\n".join([*notes, "I haven't picked anything yet. Tell me what you'd "
                                      "like and I'll explain my picks."])
        return "\n".join([*notes, answers.explain_text(outcome.explained,
                                                       *outcome.explanation)])
    if not outcome.items and nothing_to_search(grounded, outcome.wish_dropped):
        return "\n".join([*notes, f"Tell me a {facts.facet_word}, a decade or another "
                                  f"{facts.noun} you like, and I'll find something."])
    return responder.recommend(message, grounded.frame, outcome.items, notes)


_ASKS_YEAR = re.compile(r"\b(?:newest|oldest|older|newer|earliest|latest|first|most recent|"
                        r"came out|come out)\b")


def nothing_to_search(grounded: Grounded, wish_dropped: bool = False) -> bool:
    """A request whose only content is what the catalog cannot use (titles it lacks,
    people it has no data on, a wish no item mentions): nothing is recommended from
    nothing."""
    rest = grounded.frame.model_copy(update={"count": None})
    cannot = grounded.unknown_titles or grounded.unknown_people or wish_dropped
    return bool(cannot) and not rest.has_constraints()


def reasons(grounded: Grounded, ranker: str | None, items: Sequence[RecommendedItem],
            popular_min: int = 0, nouns: str = "items", facet_labels: str = "genres",
            liked_facets: Sequence[str] = ()) -> list[str]:
    """Why each item was picked, in words that are true of it ("popular" only from
    `popular_min` ratings on; `liked_facets`: those of the titles it should be like)."""
    wanted = describe_frame(grounded.frame.model_copy(update={"similar_to": [],
                                                              "quality": False}),
                            nouns, query=False)
    return [_reason(grounded.frame, wanted, ranker, item, popular_min, facet_labels,
                    liked_facets) for item in items]


def _reason(frame: RequestFrame, wanted: str, ranker: str | None, item: RecommendedItem,
            popular_min: int, facet_labels: str, liked_facets: Sequence[str] = ()) -> str:
    parts = []
    if wanted:
        parts.append(f"fits {wanted}")
    said = [w for w in frame.query.lower().split() if len(w) >= 3] if frame.query else []
    # only the words that are true of this item, not of the search
    named = [w for w in said if _has_word(f"{item.title} {' '.join(item.genres)}", w)]
    if named:
        parts.append(f"its title or {facet_labels} mention '{' '.join(named)}'")
    described = [w for w in said if w not in named and _has_word(item.description, w)]
    if described:
        parts.append(f"its description mentions '{' '.join(described)}'")
    if ranker:
        shared = [g for g in item.genres if g in liked_facets and g not in frame.genres]
        if ranker == "similarity" and frame.similar_to and shared:
            parts.append(f"like {answers.join(frame.similar_to[:2])}: shares "
                         f"{answers.join(shared[:3])}")
        else:
            parts.append(ranking_phrase(ranker, frame.similar_to, item, popular_min))
    return "; ".join(p for p in parts if p)


def _has_word(text: str, word: str) -> bool:
    """Does a word of `text` start with `word` ("alien" in "Aliens", not "art" in "party")?"""
    stem = word[:-1] if word.endswith("s") and len(word) > 4 else word  # "aliens": "Alien"
    return re.search(r"\b" + re.escape(stem), text.lower()) is not None


def ranking_phrase(ranker: str, similar_to: Sequence[str],
                   item: RecommendedItem | None = None, popular_min: int = 0) -> str:
    """How a ranker ordered the picks, said plainly."""
    if ranker == "similarity" and similar_to:
        named = list(similar_to[:2]) + ([f"{len(similar_to) - 2} more"]
                                        if len(similar_to) > 2 else [])
        return "often chosen by the same people as " + " and ".join(named)
    if ranker == "sasrec":
        return "suits what you have liked and seen"
    if ranker == "rating":
        if item is not None and item.avg_rating is not None:
            return f"rated {item.avg_rating:.2f} on average by {people(item.popularity)}"
        return "highest average rating"
    if ranker == "popularity" and item is not None:
        said = f"{people(item.popularity)} in the data " + \
            ("rated it" if item.avg_rating is not None else "have it")
        return f"popular: {said}" if item.popularity >= popular_min else said
    return "popular" if ranker == "popularity" else ""


def ranking_basis(ranker: str | None, similar_to: Sequence[str]) -> str:
    """How a whole list was ordered, for "why did you pick those?"."""
    return {"similarity": "how close they are to " + " and ".join(similar_to or ["it"]),
            "sasrec": "how well they suit what you have liked and seen",
            "rating": "their average rating (shrunk towards the overall mean when few people "
                      "rated them)",
            "popularity": "how many people in the data rated them"}.get(ranker or "", "")


def _counted(frame: RequestFrame, facts: CatalogFacts) -> str:
    """What was counted: "Horror films from the 1990s, not Comedy"."""
    return describe_frame(frame.model_copy(update={"popularity": None, "quality": False}),
                          noun=facts.nouns, query=False, with_noun=True)


def _honesty_notes(grounded: Grounded, facts: CatalogFacts) -> list[str]:
    notes = []
    if grounded.unknown_titles:
        notes.append(answers.not_found_text(grounded.unknown_titles, facts.noun))
    if grounded.frame.intent == "recommend" and grounded.frame.disliked:
        notes.append(answers.disliked_text(grounded.frame.disliked))
    unknown = grounded.unknown_people
    if unknown and not facts.has_people:
        notes.append(answers.people_text(unknown, facts.nouns))
    elif unknown:
        notes.append(answers.people_unknown_text(unknown, facts))
    if grounded.frame.moods and grounded.frame.intent == "recommend":
        notes.append(answers.moods_text(grounded.frame.moods, facts))
    unknowable = facts.missing(grounded.frame.asks) if grounded.frame.intent == "recommend" \
        else []
    if unknowable:
        notes.append(f"I don't have {answers.join(unknowable)} for these {facts.nouns}, so I "
                     f"didn't take {'that' if len(unknowable) == 1 else 'those'} into account.")
    return notes


def _nothing_found(facts: CatalogFacts) -> str:
    return f"I couldn't find that {facts.noun} in this catalog. Could you spell it differently?"


def recommended(item: CatalogItem, score: float) -> RecommendedItem:
    """A catalog item as the reply shows it."""
    return RecommendedItem(item.id, item.display_title, item.year, item.genres, score,
                           popularity=item.popularity, avg_rating=item.avg_rating,
                           people=item.people, description=item.description)


def shared_text(titles: Sequence[str], shown: Sequence[CatalogItem],
                liked: Sequence[CatalogItem]) -> str:
    """"X shares Card Game and Engine Building with Wingspan.", when one shown item is
    explained and titles were liked."""
    picked = [item for item in shown if item.display_title in titles]
    if len(picked) != 1 or not liked:
        return ""
    common = [g for g in picked[0].genres if any(g in item.genres for item in liked)]
    if not common:
        return ""
    return (f"{picked[0].display_title} shares {answers.join(common)} with "
            f"{answers.join([item.display_title for item in liked])}.")


def dropped_label(label: str, frame: RequestFrame, facts: CatalogFacts) -> str:
    """The label of a condition dropped to find something, saying so when the years lie
    outside the catalog's ("from 2005": this catalog ends in 1998)."""
    if FACET in label:
        value = label.split(FACET, 1)[1].strip().split(" or ")[0]
        return label.replace(FACET, facts.kind_of(value))
    if label != "the years" or facts.year_min is None:
        return label
    if (frame.year_min or facts.year_min) > facts.year_max or \
            (frame.year_max or facts.year_max) < facts.year_min:
        return (f"the years (this catalog has {facts.nouns} from {facts.year_min} to "
                f"{facts.year_max} only)")
    return label


def few_note(items: Sequence[RecommendedItem], again: Sequence[str]) -> list[str]:
    """Why fewer came than asked: say so, and name the shown items that also fit (`again`:
    they are not repeated) rather than claim there were some."""
    if again:
        those = "that one" if len(again) == 1 else "those"
        return [f"({answers.join(again)} also {'fits' if len(again) == 1 else 'fit'}; I "
                f"showed you {those} already.)"]
    if not items:
        return []
    return [f"(Only {len(items)} {'fits' if len(items) == 1 else 'fit'}.)"]


def once_each(ranked) -> list:
    """(item, score) pairs in order, a title the data lists twice shown once."""
    seen: set[str] = set()
    return [(item, score) for item, score in ranked
            if not (item.label() in seen or seen.add(item.label()))]


def shows_picks(frame: RequestFrame) -> bool:
    """Does the turn answer with picks: a request, or feedback that liked a title?"""
    return frame.intent == "recommend" or (frame.intent == "feedback" and bool(frame.similar_to))


def counts_items(frame: RequestFrame) -> bool:
    """"how many horror films?": a question answered by counting the catalog."""
    return frame.intent == "info" and "count" in frame.asks and not frame.about
