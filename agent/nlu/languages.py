"""Phrase tables of the normalisation pre-pass (`convrec.agent.nlu.normalise`): Spanish, French
and German into the English the slot extractor reads.

Keys are written as users spell them and folded (lower case, no accents) when the tables are
compiled; a list of keys is one string separated by ", ". In a key, "(x)" is an optional part
and "(a|b)" a choice: "comedia(s)" is "comedia" and "comedias". Genre keys name a concept of
`CONCEPTS`, written only when the dataset has that facet; the other tables give the English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# English words for each genre concept, preferred first: the first one the dataset's vocabulary
# knows (a facet name or one of its words) is written.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "action": ("action",), "adventure": ("adventure",),
    "animation": ("animation", "animated", "cartoon"),
    "children": ("children's", "children", "kids", "family"),
    "family": ("family", "children's", "kids"),
    "comedy": ("comedy", "funny"), "crime": ("crime",),
    "documentary": ("documentary", "documentaries"), "drama": ("drama",),
    "fantasy": ("fantasy",), "film-noir": ("film-noir", "film noir", "noir"),
    "horror": ("horror", "scary"), "musical": ("musical",), "mystery": ("mystery",),
    "romance": ("romance", "romantic"), "sci-fi": ("sci-fi", "science fiction", "scifi"),
    "thriller": ("thriller", "suspense"), "war": ("war",), "western": ("western",),
    "strategy": ("strategy",), "cooperative": ("cooperative", "coop"),
    "party": ("party",), "card": ("card game", "card games", "cards"),
    "puzzle": ("puzzle", "puzzles"), "dice": ("dice",), "trains": ("trains", "train"),
    "animals": ("animals", "animal"),
}

# Function words of English: evidence against rewriting a message.
ENGLISH_MARKERS = frozenset("""
the a an and of with for me i im i'm some any something anything movie movies want like
please show recommend good what is are to in that it my you from about but not or can have
seen watch more similar looking give need find kids funny scary old new best great really
just this those these was were be do does did pls plz tonight thanks hi hey hello stuff ones
one into by which who when older newer ok okay maybe also too them they we our only other
""".split())


@dataclass(frozen=True)
class Language:
    """One language's tables; see the module docstring for the key syntax."""

    code: str
    markers: Mapping[str, float]  # its function words and their weight as evidence
    genres: Mapping[str, str]  # concept(s), space-separated -> keys
    phrases: Mapping[str, str]  # English -> keys
    nouns: str  # the film nouns (-> "movies", and what a number word must precede)
    numbers: str  # number words from 2 to 20, in order
    preps: Mapping[str, str]  # English -> prepositions before a decade or year
    quals: Mapping[str, str]  # "early" / "mid" / "late" -> keys before a decade
    decade: str  # regex of a decade, folded: group `dec` (digits) or `word` ({words})
    decade_words: Mapping[str, int]
    range_starts: Mapping[str, str]  # "between" / "from" -> keys before "1980 y 1990"
    range_joins: Mapping[str, str]  # "and" / "to" -> keys between the two years


SPANISH = Language(
    code="es",
    markers={"de": .5, "la": .5, "el": 1, "los": 1, "las": 1, "una": 1, "un": .5, "por": 1,
             "para": 1, "con": .5, "que": .5, "y": .5, "en": .5, "del": 1, "sin": 1, "como": 1,
             "favor": .5, "mas": .5, "me": 0, "a": 0, "no": 0, "es": .5, "son": 0, "tipo": 0,
             "estilo": 0, "romance": 0},
    genres={
        "horror": "terror, de terror, miedo, de miedo, que (den|de) miedo, horror, de horror, "
                  "terrorífica(s), terrorífico(s), de sustos",
        "comedy": "comedia(s), de comedia, cómica(s), cómico(s), divertida(s), divertido(s), "
                  "graciosa(s), gracioso(s), de risa, para reír, de humor",
        "action": "acción, de acción",
        "adventure": "aventura(s), de aventura(s)",
        "animation": "animación, de animación, animada(s), animado(s), dibujos animados, "
                     "de dibujos animados, de dibujos, dibujitos, de dibujitos",
        "children": "infantil(es), para niños, para los niños, para chicos, para peques, "
                    "para mis hijos, niños",
        "family": "para toda la familia, para la familia, familiar(es), en familia",
        "crime": "policíaca(s), policíaco(s), policial(es), de crimen, crimen, criminal(es), "
                 "de gánsteres, de gángsters, de mafiosos, de mafia",
        "documentary": "documental(es)",
        "drama": "drama(s), de drama, dramática(s), dramático(s)",
        "fantasy": "fantasía, de fantasía, cuento(s) de hadas, de magia",
        "film-noir": "cine negro, de cine negro",
        "musical": "musical(es)",
        "mystery": "misterio(s), de misterio, de detectives, de intriga, intriga",
        "romance": "romántica(s), romántico(s), romance(s), de romance, de amor, "
                   "historia(s) de amor",
        "romance comedy": "comedia(s) romántica(s)",
        "sci-fi": "ciencia ficción, de ciencia ficción, ci-fi, futurista(s)",
        "thriller": "thriller(s), suspense, de suspense, suspenso, de suspenso",
        "war": "guerra, de guerra, bélica(s), bélico(s)",
        "western": "western(s), del oeste, de vaqueros, vaqueros",
        "strategy": "estrategia, de estrategia", "cooperative": "cooperativo(s), cooperativa(s)",
        "trains": "tren(es), de trenes, ferrocarril(es)", "animals": "animal(es), de animales",
        "party": "de fiesta, para fiestas", "card": "de cartas, de naipes",
        "puzzle": "rompecabezas, puzle(s), de lógica", "dice": "de dados, dados",
    },
    phrases={
        "the first one": "la primera, el primero, la 1a, el 1o",
        "the second one": "la segunda, el segundo", "the third one": "la tercera, el tercero",
        "the fourth one": "la cuarta, el cuarto", "the fifth one": "la quinta, el quinto",
        "the last one": "la última, el último",
        "why did you pick": "por qué elegiste, por qué escogiste, por qué",
        "do you have": "tienes, tenéis, hay",
        "like": "como, parecida(s) a, parecido(s) a, similar(es) a, del estilo de, "
                "al estilo de, estilo, que se parezca(n) a, que se parecen a, tipo",
        "similar": "parecida(s), parecido(s), similar(es)",
        "no": "sin, nada de, ningún, ninguna, ninguno", "nothing": "nada", "nor": "ni",
        "except": "excepto, salvo, menos de", "before": "antes de", "after": "después de",
        "since": "desde", "until": "hasta",
        "i don't want": "no quiero, no quiero ver", "i hate": "odio, detesto",
        "i don't like": "no me gusta(n), no me gustaron, no me gustó",
        "i like": "me gusta(n)", "i liked": "me gustó, me gustaron",
        "i love": "me encanta(n)", "i loved": "me encantó, me encantaron",
        "i've already seen": "ya vi, ya he visto, ya la vi, ya las vi, ya lo vi, ya los vi",
        "recommend": "recomiéndame, recomiéndeme, recomiéndenme, recomiéndanos, recomienda(me), "
                     "me recomiendas, me recomiendes, puedes recomendarme, "
                     "podrías recomendarme, quiero ver, sugiéreme, recomendar, recomiendas",
        "recommendations": "recomendaciones", "i want": "quiero, me apetece, tengo ganas de",
        "i'm looking for": "busco, estoy buscando", "i need": "necesito",
        "give me": "dame, danos", "show me": "muéstrame, enséñame",
        "popular": "populares", "well known": "conocida(s), conocido(s)",
        "famous": "famosa(s), famoso(s)", "blockbusters": "taquilleras, taquilleros",
        "obscure": "poco conocida(s), poco conocido(s), desconocida(s), desconocido(s)",
        "less known": "menos conocida(s), menos conocido(s)",
        "hidden gems": "joyas ocultas, joyitas",
        "old": "antigua(s), antiguo(s), vieja(s), viejo(s), clásica(s), clásico(s)",
        "recent": "reciente(s), nueva(s), nuevo(s), moderna(s), moderno(s), actual(es)",
        "older": "más antigua(s), más antiguo(s), más vieja(s), más viejo(s)",
        "nothing before": "nada de antes de, nada antes de, nada anterior a",
        "just one": "solo uno, solo una, sólo uno, sólo una, solamente uno, solamente una",
        "newer": "más reciente(s), más nueva(s), más nuevo(s), más moderna(s), más moderno(s)",
        "from the 80s": "ochentera(s), ochentero(s)",
        "from the 90s": "noventera(s), noventero(s)",
        "the": "el, la, los, las", "a": "un, una, uno", "a few": "unas cuantas, unos cuantos",
        "a couple of": "un par de", "some": "unos, unas, alguna(s), algún, alguno(s)",
        "something": "algo", "of": "de", "of the": "del", "with": "con", "for": "para",
        "in": "en", "about": "sobre", "and": "y", "or": "o", "that": "que",
        "please": "por favor, porfa, porfavor", "hi": "hola, buenas", "thanks": "gracias",
        "good": "buena(s), bueno(s), buen", "best": "mejor(es)", "very": "muy", "but": "pero",
        "also": "también", "more": "más", "watch": "ver", "another": "otra, otro",
        "other": "otras, otros", "tonight": "esta noche", "today": "hoy", "my": "mi, mis",
        "i": "yo", "already": "ya", "seen": "visto, vista(s), vistos", "saw": "vi",
        "what year is": "de qué año es, en qué año salió", "who directed": "quién dirigió",
        "tell me about": "háblame de, cuéntame de, cuéntame sobre", "is": "es", "music": "música",
    },
    nouns="película(s), peli(s), film(s), filme(s), cine, juego(s) de mesa, juego(s), libro(s), "
          "novela(s)",
    numbers="dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
            "dieciséis diecisiete dieciocho diecinueve veinte",
    preps={"before": "antes de, antes del", "after": "después de, después del",
           "since": "desde, desde el, a partir de, a partir del",
           "until": "hasta, hasta el", "from": "de, del, en, durante"},
    quals={"early": "principios de, comienzos de, inicios de", "mid": "mediados de",
           "late": "finales de, fines de"},
    decade=r"(?:(?:los|las)\s+(?:anos\s+)?|anos\s+)(?:(?P<dec>(?:19|20)?\d0)(?:'?s)?|"
           r"(?P<word>{words}))",
    decade_words={"veinte": 1920, "treinta": 1930, "cuarenta": 1940, "cincuenta": 1950,
                  "sesenta": 1960, "setenta": 1970, "ochenta": 1980, "noventa": 1990},
    range_starts={"between": "entre", "from": "de, desde, del"},
    range_joins={"and": "y", "to": "a, al, hasta, -, –"},
)

FRENCH = Language(
    code="fr",
    markers={"de": .5, "la": .5, "les": 1, "des": 1, "du": 1, "le": 1, "un": .5, "une": 1,
             "pour": 1, "et": 1, "je": 1, "sans": 1, "pas": 1, "est": .5, "en": .5, "que": .5,
             "qui": 1, "avec": 1, "d'": 1, "l'": 1, "j'": 1, "qu'": 1, "plus": .5, "ou": .5,
             "sur": .5, "a": 0, "me": 0, "moi": .5, "film": 0, "films": 0, "genre": 0},
    genres={
        "horror": "horreur, d'horreur, épouvante, d'épouvante, horrifique(s), qui fait peur, "
                  "qui font peur, flippant(e)(s)",
        "comedy": "comédie(s), drôle(s), marrant(e)(s), humour, d'humour, humoristique(s), "
                  "comique(s), rigolo(s), rigolote(s)",
        "action": "action, d'action",
        "adventure": "aventure(s), d'aventure(s)",
        "animation": "animation, d'animation, dessin(s) animé(s), animé(s), animée(s)",
        "children": "pour enfants, pour les enfants, pour les petits, pour mes enfants, "
                    "pour les gosses, enfants, jeunesse, jeune public",
        "family": "familial(e)(s), familiaux, en famille, pour toute la famille, "
                  "pour la famille",
        "crime": "policier(s), policière(s), polar(s), criminel(s), de gangsters, de mafia",
        "documentary": "documentaire(s), docu(s)",
        "drama": "drame(s), dramatique(s)",
        "fantasy": "fantasy, de fantasy, fantastique(s), conte(s) de fées, merveilleux",
        "film-noir": "film noir, films noirs",
        "musical": "comédie(s) musicale(s), musical(e)(s), musicaux",
        "mystery": "mystère(s), de mystère, énigme(s), enquête(s), d'enquête",
        "romance": "romantique(s), romance(s), d'amour, histoire(s) d'amour, sentimental(e)(s)",
        "romance comedy": "comédie(s) romantique(s)",
        "sci-fi": "science-fiction, de science-fiction, sf, de sf, futuriste(s)",
        "thriller": "thriller(s), suspense, à suspense, de suspense",
        "war": "guerre, de guerre",
        "western": "western(s), de cowboys, de cow-boys",
        "strategy": "stratégie, de stratégie", "cooperative": "coopératif(s), coopérative(s)",
        "trains": "train(s), de trains, chemin(s) de fer", "animals": "animaux, d'animaux",
        "party": "d'ambiance, de soirée", "card": "de cartes",
        "puzzle": "casse-tête, de réflexion", "dice": "de dés",
    },
    phrases={
        "the first one": "le premier, la première", "the second one": "le deuxième, "
        "la deuxième, le second, la seconde", "the third one": "le troisième, la troisième",
        "the fourth one": "le quatrième, la quatrième", "the fifth one": "le cinquième, "
        "la cinquième", "the last one": "le dernier, la dernière",
        "why did you pick": "pourquoi as-tu choisi, pourquoi avez-vous choisi, pourquoi",
        "when is it from": "il date de quand, elle date de quand, de quelle année",
        "do you have": "as-tu, avez-vous",
        "like": "comme, similaire(s) à, semblable(s) à, dans le style de, dans le genre de, "
                "du style de, du genre de, qui ressemble(nt) à, proche(s) de",
        "similar": "similaire(s), semblable(s), du même genre",
        "no": "sans, pas de, pas d', aucun(e), aucuns", "nothing": "rien, rien de",
        "not": "pas, ne, n'", "nor": "ni", "except": "sauf, à part, excepté",
        "before": "avant", "after": "après", "since": "depuis",
        "i don't want": "je ne veux pas, je ne veux pas de, je ne veux pas d', je veux pas",
        "i don't like": "je n'aime pas, j'aime pas", "i didn't like": "je n'ai pas aimé",
        "i hate": "je déteste, je hais", "i like": "j'aime, j'aime bien",
        "i liked": "j'ai aimé, j'ai bien aimé", "i love": "j'adore", "i loved": "j'ai adoré",
        "i've already seen": "j'ai déjà vu, je l'ai déjà vu, je les ai déjà vus",
        "recommend": "je cherche, je veux, je veux voir, je recherche, conseille-moi, "
                     "conseillez-moi, recommande-moi, recommandez-moi, tu peux me conseiller, "
                     "tu peux me recommander, pouvez-vous me conseiller, pouvez-vous me "
                     "recommander, vous pouvez me conseiller, vous pouvez me recommander, "
                     "tu me conseilles, tu me recommandes, propose-moi, proposez-moi, "
                     "suggère-moi, recommander, conseiller",
        "recommendations": "recommandations, conseils",
        "i want": "je voudrais, j'aimerais, j'ai envie de, j'ai envie d'",
        "give me": "donne-moi, donnez-moi", "show me": "montre-moi, montrez-moi",
        "popular": "populaire(s)", "well known": "connu(e)(s)", "famous": "célèbre(s)",
        "mainstream": "grand public", "hits": "succès",
        "obscure": "méconnu(e)(s), peu connu(e)(s), inconnu(e)(s)",
        "hidden gems": "pépites, petites pépites, pépites méconnues",
        "old": "ancien(s), ancienne(s), vieux, vieille(s), classique(s)",
        "recent": "récent(e)(s), nouveau(x), nouvelle(s), moderne(s), actuel(le)(s)",
        "older": "plus ancien(s), plus ancienne(s), plus vieux, plus vieille(s)",
        "nothing before": "rien d'avant, rien avant, rien d'antérieur à",
        "just one": "juste un, juste une, un seul, une seule, seulement un, seulement une",
        "newer": "plus récent(e)(s), plus moderne(s), plus nouveaux",
        "the": "le, la, les, l'", "a": "un, une", "some": "des, quelques, du",
        "something": "quelque chose, un truc", "of": "de, d'", "with": "avec", "for": "pour",
        "and": "et", "or": "ou", "about": "sur, à propos de", "in": "dans, en",
        "please": "s'il vous plaît, s'il te plaît, svp, stp", "hi": "bonjour, salut, coucou, "
        "bonsoir", "thanks": "merci", "good": "bon(s), bonne(s)",
        "best": "meilleur(s), meilleure(s)", "very": "très", "but": "mais", "also": "aussi",
        "more": "plus", "watch": "voir, regarder", "other": "autre(s)", "tonight": "ce soir",
        "my": "mon, ma, mes", "me": "moi", "i": "je, j'", "already": "déjà",
        "seen": "vu(e)(s)", "that": "qui, que, qu'", "it is": "c'est", "is": "est",
        "who directed": "qui a réalisé", "what year is": "de quelle année est",
        "tell me about": "parle-moi de, parlez-moi de", "what genre": "quel genre",
        "music": "musique",
    },
    nouns="film(s), long(s)-métrage(s), ciné, cinéma, jeu de société, jeux de société, jeu, jeux, "
          "livre(s), roman(s)",
    numbers="deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
            "seize dix-sept dix-huit dix-neuf vingt",
    preps={"before": "avant", "after": "après", "since": "depuis, à partir de, à partir des",
           "until": "jusqu'à, jusqu'en, jusqu'aux", "from": "de, des, du, en, dans, pendant"},
    quals={"early": "début des, au début des", "mid": "milieu des, au milieu des",
           "late": "fin des, à la fin des"},
    decade=r"(?:les\s+)?annees\s+(?:(?P<dec>(?:19|20)?\d0)|(?P<word>{words}))",
    decade_words={"vingt": 1920, "trente": 1930, "quarante": 1940, "cinquante": 1950,
                  "soixante": 1960, "soixante-dix": 1970, "quatre-vingt": 1980,
                  "quatre-vingts": 1980, "quatre-vingt-dix": 1990},
    range_starts={"between": "entre", "from": "de"},
    range_joins={"and": "et", "to": "à, au, -, –"},
)

GERMAN = Language(
    code="de",
    markers={"der": 1, "die": .5, "das": 1, "den": 1, "dem": 1, "und": 1, "mit": 1, "ein": 1,
             "eine": 1, "nicht": 1, "ohne": 1, "wie": 1, "aus": .5, "bitte": 1, "ich": 1,
             "für": 1, "von": 1, "vor": 1, "nach": 1, "es": .5, "ist": 1, "in": 0,
             "was": 0, "war": 0, "alt": 0, "film": 0, "kinder": 1, "so": 0, "bis": .5,
             "ab": 0, "action": 0, "horror": 0, "drama": 0, "western": 0, "musical": 0},
    genres={
        "horror": "horror, horrorfilm(e), horror-film(e), gruselfilm(e), grusel, gruselig*, "
                  "schocker, horrorstreifen",
        "comedy": "komödie(n), lustig*, witzig*, humorvoll*, zum lachen",
        "action": "action, actionfilm(e), action-film(e), actionreich*, actionstreifen",
        "adventure": "abenteuer, abenteuerfilm(e)",
        "animation": "animation, animationsfilm(e), animiert*, zeichentrick, "
                     "zeichentrickfilm(e), trickfilm(e)",
        "children": "kinderfilm(e), für kinder, für die kinder, für meine kinder, kinder",
        "family": "familienfilm(e), familienspiel(e), für die ganze familie, für die familie, "
                  "familie",
        "crime": "krimi(s), kriminalfilm(e), gangsterfilm(e), mafiafilm(e), verbrechen",
        "documentary": "dokumentarfilm(e), doku(s), dokumentation(en)",
        "drama": "drama, dramen, dramatisch*",
        "fantasy": "fantasy, fantasyfilm(e), märchen, märchenfilm(e)",
        "film-noir": "film noir",
        "musical": "musical(s), musikfilm(e)",
        "mystery": "mystery, rätsel, detektivfilm(e), detektivgeschichte(n)",
        "romance": "liebesfilm(e), romantisch*, romanze(n), romantik, "
                   "liebesgeschichte(n)",
        "romance comedy": "romantische komödie(n), liebeskomödie(n)",
        "sci-fi": "science-fiction, science-fiction-film(e), sci-fi, scifi, sf",
        "thriller": "thriller, psychothriller, spannend*",
        "war": "kriegsfilm(e), krieg, antikriegsfilm(e)",
        "western": "western, cowboyfilm(e)",
        "strategy": "strategiespiel(e), strategisch*", "cooperative": "kooperativ*",
        "trains": "zug, züge, zügen, eisenbahn*", "animals": "tiere, tieren, tierspiel(e)",
        "party": "partyspiel(e)", "card": "kartenspiel(e)",
        "puzzle": "rätsel, knobelspiel(e)", "dice": "würfelspiel(e), würfel, würfeln",
    },
    phrases={
        "the first one": "der erste, die erste, das erste, den ersten",
        "the second one": "der zweite, die zweite, das zweite, den zweiten",
        "the third one": "der dritte, die dritte, das dritte, den dritten",
        "the last one": "der letzte, die letzte, das letzte, den letzten",
        "how good is": "wie gut ist", "why did you pick": "warum hast du, warum",
        "only": "nur", "do you have": "hast du, gibt es",
        "like": "wie, ähnlich wie, so wie, ähnlich zu, im stil von, im stile von, "
                "vergleichbar mit",
        "similar": "ähnlich*, vergleichbare", "how old is": "wie alt ist",
        "no": "ohne, kein(e), keinen, keiner, keinem, keinerlei", "not": "nicht",
        "except": "außer", "i hate": "ich hasse",
        "i don't like": "ich mag keine, ich mag kein, ich mag keinen, mag ich nicht",
        "i like": "ich mag, mag ich", "i liked": "mir gefiel, hat mir gefallen, fand ich gut",
        "i love": "ich liebe", "i loved": "ich liebte",
        "i've already seen": "schon gesehen, habe ich schon gesehen, kenne ich schon, "
                             "kenn ich schon",
        "recommend": "ich suche, empfiehl mir, empfiehl, empfehle mir, empfehlen sie mir, "
                     "kannst du mir, könntest du mir, können sie mir, kannst du, empfehlen",
        "recommendations": "empfehlung(en)", "suggestions": "vorschläge",
        "i want": "ich möchte, ich will, ich hätte gern(e), ich würde gern(e)",
        "give me": "gib mir", "show me": "zeig mir, zeige mir",
        "popular": "bekannt*, beliebt*, populär*", "famous": "berühmt*",
        "obscure": "unbekannt*, wenig bekannt*, kaum bekannt*",
        "hidden gems": "geheimtipp(s)",
        "old": "alt*, klassiker", "recent": "neu*, aktuell*, modern*",
        "older": "älter*", "newer": "neuer*", "not older than": "nicht älter als",
        "just one": "nur eins, nur eines, nur einen, nur ein einziges",
        "the": "der, die, das, den, dem, des", "a": "ein, eine, einen, einem, einer",
        "some": "einige, manche", "a few": "ein paar, paar", "something": "etwas, was",
        "rather": "lieber",
        "and": "und", "or": "oder", "with": "mit", "for": "für", "of": "von",
        "about": "über", "in the": "im", "from": "aus", "please": "bitte",
        "hi": "hallo, servus, moin, guten tag", "thanks": "danke",
        "good": "gut, gute, guten, guter, gutes", "best": "beste(n)(r)(s)", "very": "sehr",
        "but": "aber", "also": "auch", "more": "mehr",
        "watch": "sehen, anschauen, ansehen, gucken, schauen", "other": "andere(n)(s)",
        "tonight": "heute abend", "today": "heute", "my": "mein(e)(n)", "me": "mir, mich",
        "i": "ich", "already": "schon, bereits", "seen": "gesehen", "is": "ist",
        "what kind of": "was für", "which": "welche(r)(s)(n)", "who": "wer",
        "what year is": "aus welchem jahr ist", "tell me about": "erzähl mir von",
        "music": "musik",
    },
    nouns="film(e)(n), filmen, spielfilm(e), streifen, spiel(e), brettspiel(e), buch, "
          "bücher, roman(e)",
    numbers="zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
            "fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    preps={"before": "vor", "after": "nach", "since": "seit, ab", "until": "bis",
           "from": "aus, von, in"},
    quals={"early": "anfang, frühe(n)", "mid": "mitte", "late": "ende, späte(n)"},
    decade=r"(?:(?:den|die|der)\s+)?(?:(?P<dec>(?:19|20)?\d0)er(?:n|s)?|(?P<word>{words})n?)"
           r"(?:[\s-]?jahren?)?",
    decade_words={"zwanziger": 1920, "dreißiger": 1930, "dreissiger": 1930, "vierziger": 1940,
                  "fünfziger": 1950, "sechziger": 1960, "siebziger": 1970, "achtziger": 1980,
                  "neunziger": 1990},
    range_starts={"between": "zwischen", "from": "von"},
    range_joins={"and": "und", "to": "bis, -, –"},
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (SPANISH, FRENCH, GERMAN)}
