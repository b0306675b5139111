"""The search engine: SQLite FTS5 (in memory, bm25) for words, rapidfuzz for words with a typo.

Why these two: FTS5 ships with Python's sqlite3 and gives tokenising without accents (``unicode61
remove_diacritics 2``: 'Zelé' finds 'Zele'), prefix queries ('herbruik' finds 'herbruikbare') and
bm25 ranking with a weight per column; rapidfuzz measures edit distance fast enough to compare each
query word with every word of the index (a few thousand) per request. A word the index does not know
(no indexed word starts with it) is replaced by the indexed words within one or two edits, so
'leuvn' finds Leuven and 'Herentout' Herenthout; the answer says which words it read instead.

A practice is found when every word of the query occurs in it (in any of its columns). Practices in
which the words occur as one phrase come first ('circulair bouwen' as a theme, title or sentence),
then the others by bm25. Facets filter practices: values of one facet are alternatives (OR), facets
combine (AND); each facet's counts are taken with the other facets applied, so a count is what
ticking that value would add.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kg.store import GraphStore

from ._documents import FACETS, SIZE_CLASSES, Document, read_documents

COLUMNS = ("name", "concepts", "people", "summary_nl", "summary_en", "places")
# bm25 weight per column: a word in a name or a theme says more about a document than one in a summary
WEIGHTS = (10.0, 5.0, 4.0, 1.0, 1.0, 2.0)
KINDS = ("case", "government", "organisation")
RESULT_KEYS = {"case": "cases", "government": "governments", "organisation": "organisations"}
TOKEN = re.compile(r"[^\W_]+")      # what FTS5's unicode61 tokenizer keeps (letters and digits)
MIN_FUZZY_LENGTH = 5                # a 4-letter word is one edit away from too many others ('fost': post, fort, oost)
MAX_EXPANSIONS = 4
_NONE: frozenset[str] = frozenset()
SIZE_ORDER = {code: n for n, (code, *_) in enumerate(SIZE_CLASSES)}


class SearchError(ValueError):
    """A search request the index cannot answer; ``field`` names the parameter, ``valid`` what it accepts."""

    field: str
    problem: str
    valid: list[object]


class InvalidFilter(SearchError):
    """A facet value the index does not hold; ``field`` names the facet, ``valid`` the values it holds."""

    def __init__(self, field: str, value: str, valid: list[str]) -> None:
        super().__init__(f"{field}: {value!r} is not a known value; valid values: {', '.join(valid)}")
        self.field, self.value, self.valid = field, value, valid
        self.problem = f"unknown value {value!r}"


class PageOutOfRange(SearchError):
    """A page beyond the last page of results."""

    def __init__(self, page: int, pages: int) -> None:
        super().__init__(f"page: {page} is past the last page of results; valid pages: 1 to {max(pages, 1)}")
        self.page, self.pages = page, pages
        self.field, self.problem, self.valid = "page", f"at most {max(pages, 1)}", [1, max(pages, 1)]


def fold(text: str | None) -> str:
    """Lower-case text without accents, as the index stores it ('Ieper' and 'ieper', 'Zelé' and 'Zele').

    >>> fold("Sint-Genesius-Rode Élan")
    'sint-genesius-rode elan'
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The words of ``text`` as the index tokenises them: folded letters and digits.

    >>> words("Herw!n, Zelé")
    ['herw', 'n', 'zele']
    """
    return TOKEN.findall(fold(text))


@dataclass(frozen=True)
class SearchRequest:
    """A query, the facet values ticked (facet -> codes), and which page of practices to show."""

    q: str
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    limit: int = 20          # governments and organisations shown (their totals are always given)


@dataclass(frozen=True)
class _Word:
    word: str
    terms: tuple[str, ...]   # the indexed words it stands for when it is not itself a prefix of one
    prefix: bool             # the word is the start of at least one indexed word


class SearchEngine:
    """An in-memory full-text index of one store generation; build it with :meth:`from_store`."""

    def __init__(self, documents: list[Document], labels: dict[str, dict[str, dict[str, Any]]], *,
                 generation: str = "") -> None:
        self.generation = generation
        self._documents = documents
        self._labels = labels
        self._lock = threading.Lock()   # one connection, shared by the server's threads
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(kind UNINDEXED, {', '.join(COLUMNS)}, "
                         "tokenize = 'unicode61 remove_diacritics 2')")
        self._db.executemany(f"INSERT INTO docs(rowid, kind, {', '.join(COLUMNS)}) VALUES (?, ?, {', '.join('?' * len(COLUMNS))})",
                             [(i, d.kind, *(d.text.get(c, "") for c in COLUMNS)) for i, d in enumerate(documents)])
        self._db.execute("CREATE VIRTUAL TABLE vocabulary USING fts5vocab(docs, 'row')")
        self._vocabulary = [term for (term,) in self._db.execute("SELECT term FROM vocabulary ORDER BY term")]
        self._folded_names = [fold(d.show["name"]) for d in documents]
        self._facet_codes = {name: sorted(codes, key=_natural) for name, codes in
                             ((n, {c for d in documents for c in d.facets.get(n, ())}) for n in FACETS)}

    @classmethod
    def from_store(cls, store: GraphStore) -> SearchEngine:
        """The index of everything the store holds now (about 1.3 s for the full graph, mostly SPARQL)."""
        documents, labels = read_documents(store)
        return cls(documents, labels, generation=store.generation)

    # --- the request --------------------------------------------------------------------------

    def facet_codes(self) -> dict[str, list[str]]:
        """The values each facet can take (the values some practice has)."""
        return {name: list(codes) for name, codes in self._facet_codes.items()}

    def check_filters(self, filters: Mapping[str, list[str] | tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """``filters`` with unknown facets or values refused (:class:`InvalidFilter`), duplicates dropped."""
        checked: dict[str, tuple[str, ...]] = {}
        for name, values in filters.items():
            if name not in self._facet_codes:
                raise InvalidFilter(name, name, list(FACETS))
            for value in values:
                if value not in self._facet_codes[name]:
                    raise InvalidFilter(name, value, self._facet_codes[name])
            if values:
                checked[name] = tuple(dict.fromkeys(values))
        return checked

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Governments, organisations and one page of practices matching ``request``, with facets."""
        filters = self.check_filters(request.filters)
        parsed = self._parse(request.q)
        result: dict[str, Any] = {"query": request.q, "corrections": [
            {"word": w.word, "terms": list(w.terms)} for w in parsed if w.terms],
            "unmatched": [w.word for w in parsed if not w.prefix and not w.terms]}
        for kind in ("government", "organisation"):
            hits = self._ranked(kind, parsed, request.q)
            key = RESULT_KEYS[kind]
            result[key] = [self._documents[i].show for i, _ in hits[: request.limit]]
            result[f"{key}_total"] = len(hits)

        hits = self._ranked("case", parsed, request.q)
        exact = {i for i, tier in hits if tier == 0}
        selected = [i for i, _ in hits if self._passes(i, filters)]
        pages = math.ceil(len(selected) / request.per_page)
        if request.page > max(pages, 1):
            raise PageOutOfRange(request.page, pages)
        start = (request.page - 1) * request.per_page
        result["cases"] = [{**self._documents[i].show, "match": "phrase" if i in exact else "words"}
                           for i in selected[start: start + request.per_page]]
        result["cases_total"] = len(selected)
        result["cases_phrase_total"] = sum(1 for i in selected if i in exact)
        result.update(page=request.page, per_page=request.per_page, pages=pages,
                      filters={name: list(values) for name, values in filters.items()},
                      facets=self._facets([i for i, _ in hits], filters))
        return result

    # --- words --------------------------------------------------------------------------------

    def _parse(self, q: str) -> list[_Word]:
        parsed = []
        for word in dict.fromkeys(words(q)):
            if self._starts_a_term(word):
                parsed.append(_Word(word, (), True))
            elif len(word) >= MIN_FUZZY_LENGTH:
                # one edit for short words, two from 8 letters on ('herentout' -> 'herenthout' is one)
                cutoff = 1 if len(word) < 8 else 2
                close = process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=cutoff,
                                        limit=MAX_EXPANSIONS)
                parsed.append(_Word(word, tuple(term for term, _, _ in sorted(close, key=lambda c: (c[1], c[0]))),
                                    False))
            else:
                parsed.append(_Word(word, (), False))
        return parsed

    def _starts_a_term(self, word: str) -> bool:
        at = bisect_left(self._vocabulary, word)
        return at < len(self._vocabulary) and self._vocabulary[at].startswith(word)

    @staticmethod
    def _expression(word: _Word) -> str:
        if word.prefix:
            return f'"{word.word}"*'
        if word.terms:
            return "(" + " OR ".join(f'"{t}"' for t in word.terms) + ")"
        return f'"{word.word}"'

    def _ranked(self, kind: str, parsed: list[_Word], q: str) -> list[tuple[int, int]]:
        """(document index, tier) best first: tier 0 holds the phrase, tier 1 every word anywhere."""
        if not parsed or any(not w.prefix and not w.terms for w in parsed):
            return []   # a word found nowhere, not even with a typo: nothing holds every word
        expressions = [(1, " AND ".join(self._expression(w) for w in parsed))]
        if len(parsed) > 1:
            phrase = " ".join(w.word if w.prefix else w.terms[0] for w in parsed)
            expressions.insert(0, (0, f'"{phrase}"*'))
        needle = fold(q).strip()
        tier_of: dict[int, int] = {}
        with self._lock:
            for tier, expression in expressions:
                rows = self._db.execute(
                    f"SELECT rowid, bm25(docs, 0, {', '.join(map(str, WEIGHTS))}) FROM docs "
                    "WHERE docs MATCH ? AND kind = ?", (expression, kind)).fetchall()
                for rowid, _ in sorted(rows, key=lambda r: (*self._demote(r[0], needle), r[1], r[0])):
                    tier_of.setdefault(rowid, tier)
        return list(tier_of.items())

    def _demote(self, index: int, needle: str) -> tuple[bool, bool]:
        """Former municipalities after current ones; names that start with the query before others."""
        return bool(self._documents[index].show.get("former")), not self._folded_names[index].startswith(needle)

    # --- facets -------------------------------------------------------------------------------

    def _passes(self, index: int, filters: Mapping[str, tuple[str, ...]], *, skip: str | None = None) -> bool:
        facets = self._documents[index].facets
        return all(name == skip or not facets.get(name, _NONE).isdisjoint(values) for name, values in filters.items())

    def _facets(self, hits: list[int], filters: Mapping[str, tuple[str, ...]]) -> list[dict[str, Any]]:
        out = []
        # which hits pass every facet but one: computed once per facet that has ticked values
        passing = {name: [i for i in hits if self._passes(i, filters, skip=name)] for name in filters}
        every = [i for i in hits if self._passes(i, filters)] if filters else hits
        for name in FACETS:
            counts: dict[str, int] = {}
            missing = 0
            for i in passing.get(name, every):
                codes = self._documents[i].facets.get(name, _NONE)
                missing += not codes
                for code in codes:
                    counts[code] = counts.get(code, 0) + 1
            chosen = filters.get(name, ())
            codes = sorted(set(counts) | set(chosen), key=SIZE_ORDER.get if name == "size" else _natural,
                           reverse=name == "year")
            values = [{**self._labels[name][code], "count": counts.get(code, 0), "selected": code in chosen}
                      for code in codes]
            if name not in ("year", "size"):
                values.sort(key=lambda v: (-v["count"], v["nl"]))
            out.append({"field": name, "values": values, "missing": missing})
        return out


def _natural(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (0, code)
