"""Surface phrases the planner's training corpus is written with (see `corpus`).

Written for the corpus, not copied from the labeled sets: genre words people use, filler,
openers, topics for the free-text query, chit-chat, and refinement cues. Each entry maps a
phrase to what it means in the request frame (`convrec.agent.frame`).
"""

from __future__ import annotations

# Genre -> adjectives that stand before "movie(s)/film(s)" ("scary movies").
GENRE_ADJ: dict[str, tuple[str, ...]] = {
    "Action": ("action", "action-packed", "action packed", "explosive"),
    "Adventure": ("adventure", "adventurous", "swashbuckling", "epic adventure"),
    "Animation": ("animated", "animation", "cartoon", "anime"),
    "Children's": ("kids", "children's", "family", "kid-friendly", "family friendly",
                   "childrens"),
    "Comedy": ("comedy", "funny", "hilarious", "comedic", "goofy", "silly"),
    "Crime": ("crime", "gangster", "mob", "mafia", "criminal", "cop"),
    "Documentary": ("documentary", "non-fiction", "doc"),
    "Drama": ("drama", "dramatic", "serious", "emotional"),
    "Fantasy": ("fantasy", "magical", "fairy tale", "sword and sorcery"),
    "Film-Noir": ("noir", "film noir", "film-noir", "hard-boiled noir"),
    "Horror": ("horror", "scary", "creepy", "spooky", "terrifying", "frightening"),
    "Musical": ("musical", "singing", "song and dance"),
    "Mystery": ("mystery", "detective", "whodunit", "puzzling mystery"),
    "Romance": ("romantic", "romance", "love", "date night romance"),
    "Sci-Fi": ("sci-fi", "sci fi", "scifi", "science fiction", "futuristic", "space"),
    "Thriller": ("thriller", "suspense", "suspenseful", "edge of your seat", "tense"),
    "War": ("war", "military", "wartime", "battlefield"),
    "Western": ("western", "cowboy", "wild west", "frontier"),
}

# Genre -> nouns that stand alone ("a comedy", "westerns", "something scary").
GENRE_NOUN: dict[str, tuple[str, ...]] = {
    "Action": ("action", "action movies", "an action flick", "something with explosions",
               "shoot em ups", "action films"),
    "Adventure": ("adventures", "an adventure", "adventure films", "a swashbuckler"),
    "Animation": ("cartoons", "animation", "animated films", "a cartoon", "anime"),
    "Children's": ("kids movies", "something for the kids", "family films",
                   "something for the whole family", "children's films", "kid stuff"),
    "Comedy": ("comedies", "a comedy", "something funny", "a good laugh", "comedy",
               "something to make me laugh", "laughs"),
    "Crime": ("crime films", "gangster flicks", "mob movies", "crime stories",
              "a crime movie", "mafia films"),
    "Documentary": ("documentaries", "a documentary", "docs", "documentary films"),
    "Drama": ("dramas", "a drama", "a tearjerker", "something serious", "drama",
              "something that makes me cry"),
    "Fantasy": ("fantasy", "fantasy films", "something magical", "fairy tales"),
    "Film-Noir": ("film noir", "noir", "noirs", "film noirs"),
    "Horror": ("horror", "horror flicks", "something scary", "scary stuff",
               "a horror movie", "creepy stuff", "frights"),
    "Musical": ("musicals", "a musical", "musical films"),
    "Mystery": ("mysteries", "a mystery", "whodunits", "a whodunnit", "detective stories"),
    "Romance": ("romance", "a love story", "romances", "love stories", "romantic films",
                "something romantic"),
    "Sci-Fi": ("sci-fi", "science fiction", "scifi", "sci fi movies", "something futuristic"),
    "Thriller": ("thrillers", "a thriller", "suspense", "something suspenseful"),
    "War": ("war movies", "war films", "a war film", "military films"),
    "Western": ("westerns", "a western", "cowboy films", "cowboy movies", "oaters"),
}

# Genre -> a head noun that an adjective of another genre can precede ("romantic comedy").
GENRE_HEAD: dict[str, tuple[str, ...]] = {
    "Comedy": ("comedy", "comedies"), "Drama": ("drama", "dramas"),
    "Thriller": ("thriller", "thrillers"), "Western": ("western", "westerns"),
    "Musical": ("musical", "musicals"), "Mystery": ("mystery", "mysteries"),
    "Documentary": ("documentary", "documentaries"), "Romance": ("romance", "romances"),
    "Adventure": ("adventure", "adventures"), "Horror": ("horror", "horror flick"),
    "Fantasy": ("fantasy", "fantasy film"), "Sci-Fi": ("sci-fi", "sci fi"),
    "Action": ("action flick", "action movie"), "Animation": ("cartoon", "cartoons"),
    "War": ("war film", "war movie"), "Crime": ("crime movie", "crime story"),
    "Children's": ("kids movie", "family film"), "Film-Noir": ("noir", "film noir"),
}

# Topics written before "movie(s)" ("heist movie", "vampire films"): a query, no genre.
TOPIC_ADJ: tuple[tuple[str, str], ...] = (
    ("heist", "heist"), ("vampire", "vampire"), ("sports", "sports"), ("road trip", "road trip"),
    ("zombie", "zombie"), ("spy", "spy"), ("pirate", "pirate"), ("boxing", "boxing"),
    ("dinosaur", "dinosaur"), ("christmas", "christmas"), ("prison", "prison"),
    ("superhero", "superhero"), ("time travel", "time travel"), ("shark", "shark"),
    ("werewolf", "werewolf"), ("samurai", "samurai"), ("submarine", "submarine"),
    ("robot", "robot"), ("alien invasion", "alien invasion"), ("baseball", "baseball"),
    ("high school", "high school"), ("dance", "dance"), ("biker", "biker"),
    ("haunted house", "haunted house"), ("courtroom", "courtroom"), ("ninja", "ninja"),
    ("surfing", "surfing"), ("hacker", "hacker"), ("dog", "dog"), ("horse", "horse"),
    ("Disney", "Disney"), ("Pixar", "Pixar"), ("Bond", "Bond"), ("Tom Cruise", "Tom Cruise"),
)

# Ways to refuse a genre; {g} is a genre adjective or noun.
EXCLUDE_GENRE = ("no {g}", "nothing {g}", "not {g}", "without {g}", "but no {g}",
                 "nothing too {g}", "I hate {g}", "skip the {g}", "no {g} please",
                 "except {g}", "I can't stand {g}", "avoid {g}", "not into {g}",
                 "anything but {g}", "but not {g}", "and no {g}")

MOVIES = ("movies", "films", "movie", "film", "flicks", "pictures", "ones", "stuff")

OPENERS = ("", "", "", "recommend ", "recommend me ", "show me ", "I want ", "any good ",
           "looking for ", "can you suggest ", "give me ", "find me ", "I'm in the mood for ",
           "what are some ", "suggest ", "i'd like ", "got any ", "need ", "any ",
           "could you recommend ", "please find ", "I feel like watching ", "hit me with ",
           "what about some ", "we want ", "lets watch ", "list some ", "top ", "best ",
           "good ", "some ", "a few ", "5 ", "three ", "pick me ")

CLOSERS = ("", "", "", "", "?", " please", " pls", " tonight", " for tonight",
           " for date night", " with friends", " for the weekend", " thanks", "!",
           " for a rainy day", " to watch later", ", anything good?", " that are good",
           " that's worth watching", " for movie night", " :)", " asap", " thx")

PREAMBLES = ("", "", "", "", "", "", "", "", "", "", "hi! ", "hey, ", "hello, ", "ok so ", "hmm, ",
             "Good evening. ", "so my friends are coming over and ", "quick question: ",
             "I'm bored. ", "help me out: ", "yo ", "my wife and I want a movie. ")

# Free-text wishes (the query slot): phrase in the message -> query text.
TOPICS: tuple[tuple[str, str], ...] = (
    ("about a shark", "shark"), ("about sharks", "sharks"), ("with dinosaurs", "dinosaurs"),
    ("about boxing", "boxing"), ("about a heist", "heist"), ("heist", "heist"),
    ("about time travel", "time travel"), ("with time travel", "time travel"),
    ("with vampires", "vampires"), ("about vampires", "vampires"), ("with zombies", "zombies"),
    ("about pirates", "pirates"), ("with robots", "robots"), ("about spies", "spies"),
    ("about a submarine", "submarine"), ("set in high school", "high school"),
    ("about a road trip", "road trip"), ("set in paris", "set in paris"),
    ("about baseball", "baseball"), ("about football", "football"), ("with aliens", "aliens"),
    ("about a prison break", "prison break"),
    ("about a serial killer", "serial killer"), ("with a twist ending", "twist ending"),
    ("about a bank robbery", "bank robbery"), ("about the ocean", "ocean"),
    ("with talking animals", "talking animals"), ("about a dog", "dog"),
    ("about christmas", "christmas"), ("about a wedding", "wedding"), ("with ghosts", "ghosts"),
    ("about artificial intelligence", "artificial intelligence"), ("about hackers", "hackers"),
    ("about the vietnam war", "vietnam war"),
    ("about a con artist", "con artist"), ("with a strong female lead", "strong female lead"),
    ("about music", "music"), ("about a band", "band"), ("about cars", "cars"),
    ("with car chases", "car chases"), ("about werewolves", "werewolves"),
    ("about witches", "witches"), ("about knights", "knights"), ("about samurai", "samurai"),
    ("with Tom Hanks", "Tom Hanks"), ("starring Harrison Ford", "Harrison Ford"),
    ("with Meg Ryan", "Meg Ryan"), ("with Arnold Schwarzenegger", "Arnold Schwarzenegger"),
    ("with Bruce Willis", "Bruce Willis"), ("starring Jim Carrey", "Jim Carrey"),
    ("directed by Spielberg", "Spielberg"), ("by Hitchcock", "Hitchcock"),
    ("with Clint Eastwood", "Clint Eastwood"), ("with Audrey Hepburn", "Audrey Hepburn"),
    ("with Robin Williams", "Robin Williams"), ("with Mel Gibson", "Mel Gibson"),
    ("by Woody Allen", "Woody Allen"), ("with Cary Grant", "Cary Grant"),
    ("about a haunted house", "haunted house"), ("about an alien invasion", "alien invasion"),
    ("about a disaster", "disaster"), ("about a volcano", "volcano"),
    ("about a tornado", "tornado"), ("set in new york", "set in new york"),
    ("about world war 2", "world war 2"), ("about the civil war", "civil war"),
    ("about a kidnapping", "kidnapping"), ("about lawyers", "lawyers"),
    ("set in a courtroom", "courtroom"), ("about cops", "cops"), ("about surfing", "surfing"),
    ("about dance", "dance"),
)
# Topics that name a person: the people slot, not a query.
PEOPLE = frozenset(q for _, q in (*TOPICS, *TOPIC_ADJ) if q[:1].isupper()) - {"Disney", "Pixar",
                                                                             "Bond"}
# Topics that also imply a genre ("kung fu movies" -> Action + query "kung fu").
GENRE_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("kung fu", "kung fu", "Action"), ("martial arts", "martial arts", "Action"),
    ("space opera", "space opera", "Sci-Fi"), ("slasher", "slasher", "Horror"),
    ("zombie horror", "zombie", "Horror"), ("spy thriller", "spy", "Thriller"),
    ("courtroom drama", "courtroom", "Drama"), ("disaster action", "disaster", "Action"),
)

# Moods and quality words: never a query (the frame ignores them).
MOODS = ("good", "great", "feel-good", "thought-provoking", "fun", "light", "clever",
         "not too long", "not too gory", "not too violent", "uplifting", "smart", "classic-style",
         "easy to watch", "well made", "mind-bending", "cozy")

POPULAR_ADJ = ("popular", "well known", "famous", "mainstream", "blockbuster", "big hit",
               "crowd-pleasing", "well-known")
POPULAR_TAIL = ("that everyone has seen", "that are popular", "everybody knows",
                "that were big hits", "people love")
OBSCURE_ADJ = ("obscure", "underrated", "lesser known", "lesser-known", "little known",
               "overlooked", "under the radar", "indie")
OBSCURE_TAIL = ("that nobody has heard of", "that are hidden gems", "off the beaten path",
                "that flew under the radar", "not too well known")

CHAT = ("hi", "hello", "hey", "hey there", "hiya", "yo", "good evening", "good afternoon",
        "morning!", "thanks", "thank you", "thank you so much", "thx", "cheers", "great, thanks",
        "awesome thanks!", "nice", "cool", "perfect, thank you", "bye", "goodbye", "see ya",
        "talk later", "how are you doing?", "how's it going", "what's up", "who made you?",
        "what are you?", "are you a robot?",
        "haha", "lmao", "ok", "okay cool", "wow", "you're great", "that's helpful",
        "nice one", "good night", "have a nice day", "i'm back", "sup", "hello again",
        "thanks, that's all", "ok bye", "you rock", "appreciate it",
        "hmm", "interesting", "good to know", "hi, how are you today?", "what's your name?")

EMPTY_REQUESTS = ("surprise me", "recommend something", "what should I watch?",
                  "any suggestions?", "I'm bored, give me a movie", "pick a movie for me",
                  "what's good?", "recommend a movie", "got any recommendations?",
                  "something good to watch", "I need a movie", "any movie tips?",
                  "what would you recommend", "help me pick a film", "something good please",
                  "a movie for tonight", "give me your best picks", "what's a good film",
                  "a good movie please", "something nice", "any good films?",
                  "recommend me something great", "show me something fun",
                  "what's worth watching", "I want a great movie")

INFO_TEMPLATES = ("what year is {t}?", "when did {t} come out", "what year did {t} come out?",
                  "tell me about {t}", "tell me more about {t}", "who directed {t}?",
                  "what genre is {t}?", "what kind of movie is {t}", "is {t} any good?",
                  "is {t} scary?", "what is {t} about?", "have you heard of {t}?",
                  "how popular is {t}?", "info on {t}", "who stars in {t}?",
                  "is {t} good for kids?", "how old is {t}", "what's {t} about",
                  "details about {t} please", "what do you know about {t}?",
                  "is {t} a comedy?", "when was {t} released?")
INFO_PAIR_TEMPLATES = ("compare {t} and {u}", "which is older, {t} or {u}?",
                       "what's the difference between {t} and {u}",
                       "tell me about {t} and {u}", "is {t} better than {u}?")

SIMILAR = ("like {t}", "similar to {t}", "something like {t}", "movies like {t}",
           "in the vein of {t}", "more like {t}", "anything like {t}", "stuff like {t}",
           "along the lines of {t}", "if I liked {t}", "I loved {t}, more like it",
           "I really enjoyed {t}", "big fan of {t}", "my favorite movie is {t}",
           "{t} was awesome, more of that", "I liked {t}", "films similar to {t}",
           "reminds me of {t}", "I adore {t}", "{t} is my favourite")
SEEN = ("I've seen {t}", "I've already seen {t}", "not {t}", "seen {t} already",
        "except {t}", "but not {t}", "I already watched {t}", "don't recommend {t}",
        "I hated {t}", "no {t} please", "other than {t}", "I didn't like {t}",
        "skip {t}", "not {t} again", "besides {t}")

DISLIKED = ("I hated {t}", "I didn't like {t}")  # of SEEN: the disliked slot
COUNT_OPENERS = {"5 ": 5, "three ": 3}  # of OPENERS: how many are asked for

# Refinement cues (the previous frame is in the prompt).
MORE_LIKE_THAT = ("more like that", "more please", "more of those", "show me more",
                  "other ones like these", "similar ones", "keep going", "any others?",
                  "more of the same", "give me more like these")
OLDER = ("something older", "older ones please", "anything from earlier?", "too new, older?",
         "go older", "older", "can you find older ones", "something less recent")
NEWER = ("newer ones?", "something newer", "too old, anything newer?", "more recent please",
         "anything more recent?", "newer", "these are too old")
INSTEAD = ("what about {g}?", "any {g} instead?", "how about {g}", "maybe {g} instead",
           "{g} instead", "actually, {g} please", "let's do {g} instead", "rather {g}",
           "switch to {g}")
ALSO_GENRE = ("and make them {a}", "same but {a}", "also {a}", "but {a} too",
              "only {a} ones", "make it {a}", "ones that are also {a}", "{a} ones please")
REFINE_YEARS = ("what about from {y}?", "only {y} please", "same but {y}", "but {y}",
                "sure, but {y}", "make it {y}", "ok now {y}", "{y} ones?", "just {y}")
REFINE_POP = {"obscure": ("hidden gems instead", "something less mainstream",
                          "less popular ones", "more obscure please", "any underrated ones?",
                          "lesser known ones"),
              "popular": ("a few popular ones", "more popular ones", "only well known ones",
                          "something more mainstream", "blockbusters please",
                          "great, now a few popular ones")}
FORGET = ("ok forget that. ", "never mind. ", "new request: ", "actually scratch that, ",
          "something different: ", "forget it, ")

HAND_WRITTEN: tuple[tuple[str, dict], ...] = (
    ("horror films before 1970", {"genres": ["Horror"], "year_max": 1969}),
    ("something like Toy Story but not animated",
     {"exclude_genres": ["Animation"], "similar_to": ["Toy Story"]}),
    ("scary stuff from before the 60s", {"genres": ["Horror"], "year_max": 1959}),
    ("a feel-good movie", {}),
    ("something thought-provoking", {}),
    ("what's the best film ever?", {}),
    ("a cartoon but not for kids", {"genres": ["Animation"], "exclude_genres": ["Children's"]}),
    ("films with Robin Williams that kids can watch",
     {"genres": ["Children's"], "query": "Robin Williams"}),
    ("any classic black and white comedies", {"genres": ["Comedy"], "year_max": 1969}),
    ("I loved Fargo and hated Heat", {"similar_to": ["Fargo"], "exclude_titles": ["Heat"]}),
    ("nothing like Armageddon please", {"exclude_titles": ["Armageddon"]}),
    ("is there anything like Jaws from the 70s?",
     {"year_min": 1970, "year_max": 1979, "similar_to": ["Jaws"]}),
    ("a western with Clint Eastwood", {"genres": ["Western"], "query": "Clint Eastwood"}),
    ("90s rom-coms", {"genres": ["Comedy", "Romance"], "year_min": 1990, "year_max": 1999}),
    ("oldies but goodies", {"year_max": 1969}),
    ("the newest stuff you have", {"year_min": 1996}),
)
