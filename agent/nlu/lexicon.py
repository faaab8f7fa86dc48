"""Word lists the slot extractor reads for any catalog: cue words, filler and chit-chat.

Patterns are regular expressions over lower-cased text, matched at word boundaries. Facet
words (genres, tags, ...) and the item noun are not here: they come from the catalog
(`convrec.agent.nlu.facets`).
"""

from __future__ import annotations

# Nouns people use for the items of a recommender, whatever the catalog holds; a catalog's
# own noun is added to these (`FacetLexicon.noun_words`).
ITEM_NOUNS = frozenset("""
movie movies film films flick flicks picture pictures show shows series game games boardgame
boardgames book books novel novels album albums record records song songs track tracks
podcast podcasts title titles item items product products
""".split())
ITEM_NOUN = r"(?:movies?|films?|flicks?|pictures?|shows?|series|games?|boardgames?|books?|" \
    r"novels?|albums?|records?|songs?|tracks?|podcasts?|titles?|items?|products?)"

POPULAR = ("popular", "well known", "well-known", "famous", "mainstream", "blockbuster",
           "blockbusters", "crowd pleaser", "crowd pleasers", "crowd-pleaser",
           "crowd-pleasers", "everyone has seen", "everybody has seen", "big hits", "hits",
           "most watched", "most-watched", "classics everyone knows", "everyone knows",
           "everybody knows", "everyone's seen", "everybody's seen", "everyone has heard of",
           "everyone loves", "everybody loves", "crowd favorite", "crowd favorites",
           "crowd favourite", "crowd favourites", "widely known", "household name")
OBSCURE = ("hidden gem", "hidden gems", "obscure", "underrated", "under-rated", "least popular",
           "least known", "least watched", "least rated",
           "lesser known", "lesser-known", "little known", "little-known", "unknown",
           "less mainstream", "less popular", "less known", "off the beaten path",
           "nobody has heard of", "no one has heard of", "not many people", "under the radar",
           "overlooked", "indie", "not many ppl", "not many folks", "few people know",
           "few people have heard of", "hardly anyone", "hardly anybody", "nobody knows",
           "no one knows", "nobody's heard of", "no one's heard of", "nobody has seen",
           "no one has seen", "not many have heard of", "not widely known", "not that well known")

# Words that put a following genre or title out of the request.
NEGATIONS = ("no", "not", "nothing", "without", "except", "anything but", "everything but",
             "but not", "hate", "hated", "hates", "can't stand", "cant stand", "cannot stand",
             "don't like", "dont like", "do not like", "don't want", "dont want",
             "do not want", "didn't like", "didnt like", "dislike", "disliked", "skip", "avoid",
             "excluding", "exclude", "minus", "other than", "besides", "none of", "never",
             "don't recommend", "dont recommend", "do not recommend", "tired of", "bored of",
             "bored with", "sick of", "no more", "not into", "had enough", "done with",
             "never want to see", "don't want to see", "dont want to see",
             "do not want to see", "never want", "never again", "less", "fewer",
             "fed up with", "burnt out on", "burned out on", "not a fan of", "nothing too",
             "not in the mood for", "no more of", "enough of", "not feeling", "isn't", "isnt",
             "none", "none with",
             "aren't", "arent", "wasn't", "is not", "are not", "neither of us", "none of us",
             "neither of them", "none of them", "nobody here", "no one here", "neither")
# A title after these was seen (left out unless the user also liked it).
SEEN = ("seen", "saw", "watched", "watching", "already", "finished", "played", "have played",
        "already read", "have read", "listened to")
# A title after these is one the user liked (similar_to).
LIKE = ("like", "likes", "liked", "love", "loved", "loves", "enjoyed", "enjoy", "adore",
        "adored", "similar to", "in the vein of", "along the lines of", "reminds me of",
        "fan of", "favourite", "favorite", "such as", "same as", "in the style of",
        "the style of", "akin to", "comparable to", "more of")
# After a title: the user liked it.
LIKE_AFTER = ("was awesome", "was amazing", "was great", "was so good", "was fantastic",
              "was brilliant", "was good", "is awesome", "is amazing", "is great", "rocks",
              "loved it", "loved both", "loved them", "liked it", "liked both", "enjoyed it",
              "it was amazing", "it was great", "it was awesome", "like it", "like that",
              "like this", "similar", "more of that", "more like that", "more like it",
              "was incredible", "is incredible", "were incredible", "were amazing",
              "were great", "were awesome", "was excellent", "fan here", "fans here",
              "is my fav", "is my favorite", "is my favourite", "are my favs",
              "are my favorites", "are my favourites", "my all time favorite")
# After a title: the user does not want it.
# Before a title: the user did not like it (disliked, not merely "not now").
DISLIKE = ("hated", "hate", "hates", "disliked", "dislike", "didn't like", "didnt like",
           "did not like", "don't like", "dont like", "do not like", "can't stand",
           "cant stand", "cannot stand", "not a fan of", "wasn't a fan of", "wasnt a fan of",
           "couldn't stand", "couldnt stand", "didn't enjoy", "didnt enjoy", "did not enjoy",
           "was bored by", "got bored with", "fell asleep during", "regret watching")
# After a title: the user did not like it.
DISLIKE_AFTER = ("is bad", "was bad", "was awful", "is awful", "sucked", "sucks", "was boring",
                 "is boring", "so boring", "was terrible", "is terrible", "was overrated",
                 "is overrated", "was trash", "is trash", "was the worst", "was meh",
                 "was horrible", "is horrible", "was lame", "is lame", "was dumb", "was stupid",
                 "is not for me", "isn't for me", "not for me", "was not for me")
EXCLUDE_AFTER = ("seen it", "saw it", "watched it", "already seen", "already", "again",
                 "is bad", "was bad", "was awful", "sucked", "was boring")

# Questions about named items (intent "info").
INFO_PATTERNS = (
    r"^(?:so |and |ok |okay |hey |hmm )?(?:what|which) (?:year|genre|genres|kind|type|sort|rating)",
    r"\bwhen (?:did|was|is|were)\b", r"\b(?:what|wat|wut|wht) year\b", r"\bhow old is\b",
    r"\bwho (?:directed|made|stars|starred|is in|was in|acts|plays|wrote)\b",
    r"\btell me (?:more |a bit |something )?about\b", r"\bwhat do you know about\b",
    r"\binfo(?:rmation)? (?:on|about)\b", r"\bdetails (?:on|about|of)\b",
    r"^(?:so |and |ok |hey )?what(?:'s|s| is| was) \S.* about\b",
    r"\bwho(?:'s|s| is| was| are| were) in\b", r"\b(?:cast|director|plot) of\b",
    r"\bwhich (?:one )?(?:came|come|was|is|were) (?:out )?(?:first|earlier|later|older|"
    r"newer|longer|shorter)\b",
    r"^(?:so |and |ok |hey )?(?:have|did|do) you (?:ever )?(?:heard|hear|seen|see|know)\b",
    r"\bhow (?:popular|good|long|scary|famous|well known|long ago|old|funny) (?:is|was)\b",
    r"\bwhen(?:'s|s| is| was)\b.*\b(?:from|made|out|released)\b",
    r"\b(?:year|genres?|released?|release date|ratings?)\b[^.!]*\?\s*$",
    r"\bwhat(?:'s|s| is) the deal with\b", r"\b(?:thoughts|opinion) on\b",
    r"\bhow (?:is|was|well is|well was)\b.*\brated\b", r"\bhow many (?:people|users|ratings)\b",
    r"\bis (?:it|that|this)\b.*\?\s*$",
    r"\bwhat do you (?:think|know) (?:of|about)\b", r"\bever heard of\b",
    r"^compare\b", r"\bdifference between\b", r"\bwhat(?:'s| is) the (?:year|genre)\b",
    r"\bwhat genres? (?:is|are|does)\b", r"\bis it (?:any )?good\b",
)

# Messages made only of these words (and nothing else recognised) are chit-chat.
CHAT_WORDS = frozenset("""
hi hello hey heya hiya howdy yo there sup whats what's up good morning evening afternoon night
thanks thank thx ty cheers you a lot so much very many cool great nice awesome perfect wow ok
okay alright bye goodbye see ya later for now how are is it going doing today who what can do
lol haha hahaha hehe greetings appreciate sounds fine yes yeah yep no nope sure the your name
oh ah hmm um please that's that thats all help me tell about yourself bot dear friend buddy
pal again much appreciated love it this i needed all set never mind nevermind merci
beaucoup danke schon schön gracias muchas mate thnks thanx thanks! cya ciao adios tschuss
tschüss bye-bye goodnight gn ttyl vielen dank lmao lmfao rofl
""".split())
# ...but these words alone are not a conversation opener worth a chat reply by themselves.
CHAT_REQUIRED = frozenset("""
hi hello hey heya hiya howdy yo sup thanks thank thx ty cheers bye goodbye lol haha hahaha
hehe greetings morning evening afternoon who how appreciate appreciated mind nevermind
merci danke gracias thnks thanx cya ciao adios tschuss tschüss goodnight ttyl lmao lmfao
rofl
""".split()) | {"what can", "can you"}

# Words that carry no content for the soft query.
STOPWORDS = frozenset("""
fav favs favorite favourite favorites favourites ever otherwise specifically especially
particularly preferably ideally perhaps among directed guy guys mate dude bro lol haha
nah af bet keep drop ratings rating total kinda sorta literally honestly tbh ngl fr
sucked sucks pick explain instructions
a an the and or but if then so of to in on at by for with from as into about than too very
i me my mine we us our you your he she it its they them their this that these those there
here is are was were be been being am do does did doing done have has had having will would
shall should can could may might must ought just also only even still really quite pretty
some any all each every both either neither more most less least much many few lot lots
what which who whom whose when where why how not no nor yes maybe perhaps please pls plz
thanks thank ok okay hey hi hello well oh um hmm hm like likes liked love loved enjoy
enjoyed want wanted wants need needs looking look find show give get got tell recommend
recommendation recommendations suggest suggestion suggestions something anything stuff things
thing one ones movie movies film films flick flicks picture pictures cinema watch watching
watched seen see saw good great nice best better top awesome amazing fantastic cool fun
interesting decent solid favorite favourite kind sort type genre genres made make makes
came come out released release year years era decade old older new newer recent classic
classics tonight today weekend night evening friends friend girlfriend boyfriend wife husband
partner family kids mom dad grandma grandpa date party together alone bored boring i'd i'm
i've im ive id don't dont can't cant won't wont let's lets would've tho though though
though although else other another instead rather same similar vein style lines sure
already again first last next few couple bit little ideally prefer preferred possible
perfect kindly grateful greetings could would you'd enjoy heavy light think thought
thoughtful provoking feel feelgood say just mood fan huge big kick lately week month
both either maybe now then than sometime time stuff lol haha smth sth u ur r ya
abt w wanna gonna gotta kinda sorta lemme gimme yeah yep nope tho honestly actually
literally basically seriously probably definitely suggestions ideas idea help hoping hope
trying try check sounds sound fine cheers whatever everyone everybody someone somebody
people person he's she's it's that's what's there's here's who's dark nicer nicest
possibly mainly mostly usually generally including include includes featuring
whole surprise him her his hers itself myself yourself something's story stories know
designed designer created invented published wrote written theme themed themes per via solo
board boards search searching picking itch list end monday tuesday wednesday thursday friday
saturday sunday weekend
knows gem gems fyi btw imo imho tbh idk ngl rn acclaimed critically highly rated
award winning award-winning oscar-winning masterpiece masterpieces excellent brilliant
incredible beloved praised terrible awful meh lame options choices picks recs
bunch you're youre you've we're they're forget scratch go lmao lmfao rofl different
""".split())
# Facet words that name no facet in these phrases ("live action" is not Action).
NOT_GENRE = ("live action", "live-action", "action figure", "action figures")
# Words of a message that asks for something; chit-chat without a slot has none of them.
REQUEST_WORDS = frozenset("""
recommend recommendation recommendations suggest suggestion suggestions movie movies film
films flick flicks watch something anything show give want looking find more another else
other options ideas pick similar like instead need any some see should could can would
what which tonight good best rec recs
""".split())

# Moods and content no catalog field judges: the reply says they were not taken into account.
MOODS = ("uplifting", "feel good", "feel-good", "feelgood", "cheer me up", "cheerful",
         "make me cry", "cry", "a good cry", "tearjerking", "sad", "depressing", "happy",
         "wholesome", "heartwarming",
         "heart-warming", "lighthearted", "light-hearted", "dark", "gritty", "violent",
         "violence", "bloody", "gore", "gory", "childish", "intense", "relaxing", "chill",
         "cozy", "cosy", "thought-provoking", "thought provoking", "mind-bending", "slow",
         "fast-paced", "boring", "sex", "nudity", "swearing", "profanity", "cheesy", "dumb",
         "smart", "clever", "weird", "quirky", "inspiring", "inspirational", "emotional",
         "disturbing")

# Contractions as people type them without the apostrophe: words, not typos.
CONTRACTIONS = frozenset("""
isnt wasnt arent werent dont doesnt didnt cant couldnt wont wouldnt shouldnt havent hasnt
hadnt im ive id youre youve youd theyre theyve thats whats whos wheres hows theres lets
""".split())
