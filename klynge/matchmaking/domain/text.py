"""A bilingual (Danish/English) TF-IDF text model.

Both sides of a comparison are first *bridged* to English: every Danish term found in a small,
hand-checked glossary (including the parts of Danish compounds, e.g. "kvalitetskontrol" →
"kvalitet" + "kontrol") appends its English equivalent to the text. Profiles and needs are
then compared in one TF-IDF space (word unigrams and bigrams, sublinear tf, L2-normalised), so
a Danish need finds an English profile and an English need a Danish one. The vectoriser is
fitted once; `transform` re-vectorises any new or edited text with the fitted vocabulary.
"""

import re
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

# Danish → English. Single Danish words (and compound parts); English may be several words.
DA_EN = {
    "kunstig": "artificial", "intelligens": "intelligence", "maskinlæring": "machine learning",
    "maskinlaering": "machine learning", "dyb": "deep", "læring": "learning",
    "computersyn": "computer vision", "billedgenkendelse": "image recognition",
    "billedbehandling": "image processing", "billede": "image", "billeder": "images",
    "kvalitet": "quality", "kontrol": "control", "kvalitetskontrol": "quality control",
    "produktion": "production manufacturing", "fremstilling": "manufacturing",
    "robot": "robot robotics", "robotter": "robots robotics", "robotteknologi": "robotics",
    "automatisering": "automation", "sensor": "sensor", "sensorer": "sensors",
    "energi": "energy", "vedvarende": "renewable", "vind": "wind", "vindmølle": "wind turbine",
    "vindmøller": "wind turbines", "vindenergi": "wind energy", "sol": "solar",
    "solenergi": "solar energy", "brint": "hydrogen", "batteri": "battery",
    "batterier": "batteries", "lagring": "storage", "elnet": "electricity grid",
    "varme": "heat heating", "fjernvarme": "district heating", "klima": "climate",
    "miljø": "environment environmental", "bæredygtig": "sustainable",
    "bæredygtighed": "sustainability", "cirkulær": "circular", "økonomi": "economy",
    "affald": "waste", "genanvendelse": "recycling", "vand": "water", "spildevand": "wastewater",
    "landbrug": "agriculture", "fødevarer": "food", "fødevare": "food", "sundhed": "health",
    "medicin": "medicine", "sygdom": "disease", "sygdomme": "diseases", "kræft": "cancer",
    "patient": "patient", "patienter": "patients", "hospital": "hospital",
    "sygehus": "hospital", "data": "data", "datadeling": "data sharing",
    "cybersikkerhed": "cybersecurity", "sikkerhed": "security safety", "netværk": "network",
    "software": "software", "digital": "digital", "digitalisering": "digitalisation digital",
    "transport": "transport", "mobilitet": "mobility", "bygning": "building",
    "bygninger": "buildings", "byggeri": "construction building", "materialer": "materials",
    "materiale": "material", "kemi": "chemistry chemical", "bioteknologi": "biotechnology",
    "forskning": "research", "uddannelse": "education training", "innovation": "innovation",
    "virksomhed": "company enterprise", "virksomheder": "companies enterprises",
    "kvante": "quantum", "kvanteteknologi": "quantum technology", "rum": "space",
    "satellit": "satellite", "hav": "ocean marine", "skib": "ship", "skibe": "ships",
    "fiskeri": "fisheries", "skov": "forest forestry", "byer": "cities",
    "analyse": "analysis", "overvågning": "monitoring", "styring": "control management",
    "optimering": "optimisation optimization", "simulering": "simulation",
    "model": "model", "modeller": "models", "platform": "platform", "værktøj": "tool",
    "værktøjer": "tools", "teknologi": "technology", "teknologier": "technologies",
    "system": "system", "systemer": "systems", "løsning": "solution", "løsninger": "solutions",
    "udvikling": "development", "sprog": "language",
    "sprogteknologi": "language technology", "tale": "speech", "tekst": "text",
}
_DA_STOP = (
    "og i at er det en et til af på med for som de der den om har ikke vi kan vil skal fra "
    "eller men også vores jeres deres os mere meget efter ved over under hvor hvad hvordan "
    "inden mellem samt så blive bliver være været have søger søge behov brug bruge ønsker "
    "nogen noget nye ny nyt"
)
DA_STOP = frozenset(_DA_STOP.split())
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DA_STOP)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_LINKS = ("", "s", "e")


_SUFFIXES = ("erne", "ene", "en", "et", "er", "ne")


def _lookup(token: str) -> str | None:
    """The glossary form of a Danish word, also in its inflected forms ("produktionen")."""
    if token in DA_EN:
        return token
    if token in ENGLISH_STOP_WORDS or token in DA_STOP:
        return None
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and token[: -len(suffix)] in DA_EN:
            return token[: -len(suffix)]
    return None


def _split_compound(token: str) -> list[str] | None:
    """Two glossary words joined directly or by a linking s/e ("kvalitet|s|kontrol")."""
    for cut in range(3, len(token) - 2):
        head, rest = token[:cut], token[cut:]
        if head not in DA_EN:
            continue
        for link in _LINKS:
            if rest.startswith(link) and (tail := _lookup(rest[len(link):])):
                return [head, tail]
    return None


def bridge(text: str) -> str:
    """`text` lower-cased, with the English equivalents of its Danish terms appended."""
    lowered = text.lower()
    extra = []
    for token in _TOKEN.findall(lowered):
        if word := _lookup(token):
            if DA_EN[word] != token:
                extra.append(DA_EN[word])
        elif len(token) > 7 and (parts := _split_compound(token)):
            extra.append(" ".join(DA_EN[p] for p in parts))
    return lowered if not extra else lowered + " " + " ".join(extra)


class TextModel:
    """TF-IDF over bridged text. `fit` once on all profiles; `transform` any text afterwards."""

    def __init__(self, min_df: int = 2, max_df: float = 0.5, ngram_range=(1, 2)):
        self.min_df = min_df
        self.max_df = max_df
        self.ngram_range = ngram_range
        self.vectorizer: TfidfVectorizer | None = None
        self._terms = None
        self.is_empty = False

    def _make(self, n_docs: int) -> TfidfVectorizer:
        # On a handful of documents (tests, a small cluster) every term counts.
        small = n_docs < 50
        return TfidfVectorizer(
            preprocessor=bridge, token_pattern=_TOKEN.pattern, stop_words=STOP_WORDS,
            ngram_range=self.ngram_range, sublinear_tf=True, dtype=np.float64,
            min_df=1 if small else self.min_df, max_df=1.0 if small else self.max_df,
        )

    def fit_transform(self, docs: list[str]):
        """Fit on `docs` and return their vectors. Texts without a single usable word (a new
        registry, stop words only) give an empty vocabulary: every vector is then empty and
        `is_empty` says so, so the caller can fit again once there is text."""
        self.vectorizer = self._make(len(docs))
        self._terms = None
        self.is_empty = False
        try:
            return self.vectorizer.fit_transform(docs).tocsr()
        except ValueError:  # scikit-learn: "empty vocabulary"
            self.vectorizer, self.is_empty = None, True
            return sparse.csr_matrix((len(docs), 0))

    def transform(self, docs: list[str]):
        if self.is_empty:
            return sparse.csr_matrix((len(docs), 0))
        if self.vectorizer is None:
            raise ValueError("the text model is not fitted yet")
        return self.vectorizer.transform(docs).tocsr()

    @property
    def terms(self):
        if self.is_empty:
            return np.array([], dtype=object)
        if self._terms is None:
            self._terms = self.vectorizer.get_feature_names_out()
        return self._terms


_CLAUSE = re.compile(r"[\n.,;:!?()\[\]/]+")
_STOP = frozenset(STOP_WORDS)


def phrases(text: str) -> frozenset[str]:
    """The word pairs a person wrote: two words next to each other in one clause of `text`
    (no stop word between them), or inside the English gloss of one Danish word
    ("kvalitetskontrol" → "quality control"). The bigrams of the TF-IDF model also join words
    across a dropped stop word ("vision for quality" → "vision quality") and a Danish word to
    the gloss appended after the text; those are not phrases to show a person."""
    pieces = []
    for clause in _CLAUSE.split(text.lower()):
        tokens = _TOKEN.findall(clause)
        pieces.append(tokens)
        for token in tokens:
            if word := _lookup(token):
                pieces.append(_TOKEN.findall(DA_EN[word]))
            elif len(token) > 7 and (parts := _split_compound(token)):
                pieces.append(_TOKEN.findall(" ".join(DA_EN[p] for p in parts)))
    return frozenset(f"{a} {b}" for tokens in pieces for a, b in pairwise(tokens)
                     if a not in _STOP and b not in _STOP)
