"""Character spans of a message: blanking what a slot has used (positions stay put),
replacing references by the titles they name, and title spans with their year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from convrec.agent.nlu.mentions import Mention
from convrec.agent.nlu.references import Reference

_TITLE_YEAR = re.compile(r"\s*[(\[]\s*(?:18|19|20)\d\d\s*[)\]]")


def title_end(folded: str, mention: Mention) -> int:
    """End of a title mention, with the title's own year after it: "Heat (1995)"."""
    match = _TITLE_YEAR.match(folded, mention.end)
    return match.end() if match else mention.end


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the characters of `spans` replaced by spaces (positions stay put)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def substitute(message: str, references: Sequence[Reference]) -> tuple[str, list[Mention]]:
    """The message with each reference replaced by the titles it names ("more like the
    second one" -> "more like Contact"), and those titles as mentions of the new text."""
    parts, forced, cursor, length = [], [], 0, 0
    for ref in references:
        parts.append(message[cursor:ref.start])
        length += ref.start - cursor
        for k, title in enumerate(ref.titles):
            if k:
                parts.append(" and ")
                length += 5
            forced.append(Mention(length, length + len(title), title, 100.0))
            parts.append(title)
            length += len(title)
        cursor = ref.end
    parts.append(message[cursor:])
    return "".join(parts), forced


def merge_mentions(forced: Sequence[Mention], found: Sequence[Mention]) -> list[Mention]:
    """Forced mentions first; found ones that overlap none of them, in text order."""
    kept = [m for m in found if all(m.end <= f.start or m.start >= f.end for f in forced)]
    return sorted([*forced, *kept], key=lambda m: m.start)


def blank_like(message: str, work: str) -> str:
    """`message` with the characters blanked in `work` (same length) blanked too."""
    return "".join(" " if w == " " and m != " " else m for m, w in zip(message, work))
