"""Plain-language renderings of frames and items, shared by the responder and the UI."""

from __future__ import annotations

from convrec.agent.frame import RequestFrame


def describe_years(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        if low == high:
            return f"from {low}"
        if low % 10 == 0 and high == low + 9:
            return f"from the {low}s"
        return f"from {low}-{high}"
    return f"from {low} on" if low is not None else f"up to {high}"


def describe_frame(frame: RequestFrame, noun: str = "items", query: bool = True,
                   with_noun: bool = False) -> str:
    """ "Sci-Fi from the 1990s, not Horror, like The Godfather" (empty for no constraints).

    `noun`: the catalog's plural noun ("films"), said when no facet heads the description.
    `query`: include the free-text wish (a search ranks by it, but items need not match it,
    so reasons leave it out); `with_noun`: name the noun after the genres too ("Horror
    films from the 1990s")."""
    parts = []
    head = " ".join(frame.genres)
    if frame.genres_any:
        head = f"{head} {' or '.join(frame.genres_any)}".strip()
    if frame.popularity:
        head = f"{frame.popularity} {head}".strip()
    if frame.quality:
        head = f"top rated {head}".strip()
    if frame.query and query:
        head = f"{head} ({frame.query})" if head else frame.query
    years = describe_years(frame.year_min, frame.year_max)
    if head and with_noun:
        head = f"{head} {noun}"
    by = f"by {' or '.join(frame.people)}" if frame.people else ""
    if head or years or by or frame.exclude_genres or frame.exclude_years or frame.similar_to:
        parts.append(" ".join(p for p in (head or noun, by, years) if p))
    if frame.exclude_years:
        parts.append("not " + describe_years(*frame.exclude_years))
    if frame.exclude_genres:
        parts.append("not " + " or ".join(frame.exclude_genres))
    if frame.exclude_people:
        parts.append("not by " + " or ".join(frame.exclude_people))
    if frame.similar_to:
        named = list(frame.similar_to[:3]) + ([f"{len(frame.similar_to) - 3} more"]
                                              if len(frame.similar_to) > 3 else [])
        parts.append("like " + " and ".join(named))
    return ", ".join(parts)
