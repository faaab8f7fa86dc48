"""MovieLens as a dataset describes itself: its noun, and everyday words for its genres.

This is the MovieLens dataset's own lexicon (written into its catalog); the agent reads
whatever lexicon a catalog carries and holds none of its own.
"""

from __future__ import annotations

from convrec.recsys.schema import DatasetInfo

# Everyday words for each genre. Longer phrases are tried before shorter ones.
GENRE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Action": ("action", "action packed", "action-packed", "shoot em up", "explosions"),
    "Adventure": ("adventure", "adventures", "adventurous", "swashbuckler", "swashbuckling"),
    "Animation": ("animation", "animated", "cartoon", "cartoons", "anime"),
    "Children's": ("children's", "childrens", "children", "kids", "kid", "kiddie", "family",
                   "kid friendly", "kid-friendly", "family friendly", "family-friendly"),
    "Comedy": ("comedy", "comedies", "comedic", "funny", "funnier", "hilarious", "humor",
               "humour", "humorous", "laugh", "laughs", "romcom", "rom com", "rom-com",
               "romcoms", "rom-coms"),
    "Crime": ("crime", "crimes", "gangster", "gangsters", "mob", "mobster", "mobsters",
              "mafia"),
    "Documentary": ("documentary", "documentaries", "docs", "doc", "docu", "docudrama"),
    "Drama": ("drama", "dramas", "dramatic", "tearjerker", "tearjerkers", "tear jerker",
              "a good cry"),
    "Fantasy": ("fantasy", "fantasies", "magic", "magical", "wizard", "wizards",
                "fairy tale", "fairy tales", "fairytale"),
    "Film-Noir": ("film noir", "film-noir", "noir", "noirs"),
    "Horror": ("horror", "horrors", "scary", "scarier", "scariest", "spooky", "creepy",
               "frightening", "terrifying", "scare", "scares"),
    "Musical": ("musical", "musicals"),
    "Mystery": ("mystery", "mysteries", "whodunit", "whodunits", "whodunnit", "whodunnits",
                "detective", "detectives"),
    "Romance": ("romance", "romances", "romantic", "love story", "love stories", "romcom",
                "rom com", "rom-com", "romcoms", "rom-coms"),
    "Sci-Fi": ("sci-fi", "sci fi", "scifi", "science fiction", "science-fiction", "sf",
               "sci fy", "sci-fy", "scify", "syfy", "sy fy", "scifis", "sci-fis",
               "space", "futuristic"),
    "Thriller": ("thriller", "thrillers", "suspense", "suspenseful", "thrilling"),
    "War": ("war", "wars", "war movie", "war movies", "war film", "war films", "military"),
    "Western": ("western", "westerns", "cowboy", "cowboys", "wild west"),
}

# Genre words that also keep their text in the soft query (the genre alone loses meaning).
GENRE_HINTS: dict[str, str] = {"kung fu": "Action", "martial arts": "Action",
                               "space opera": "Sci-Fi"}

MOVIELENS_INFO = DatasetInfo(
    noun="film",
    noun_words=("movie", "movies", "flick", "flicks", "picture", "pictures", "cinema"),
    facet_columns=("genres",),
    text_columns=("description",),
    synonyms=GENRE_SYNONYMS,
    hints=GENRE_HINTS,
)
