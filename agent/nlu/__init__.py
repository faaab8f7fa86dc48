"""Language understanding: one pass over a message against the dataset's vocabulary.

The slot extractor (`extractor`) reads genres, years, titles, popularity and free-text wishes;
`mentions` finds catalog titles in free text; `lexicon`, `slots`, `years` and `aliases` are
its vocabulary and rules.
"""
