"""The lexical guard: decides, before any engine sees a query, whether it may run at all.

It tokenises the query the way a SPARQL lexer does (left to right, longest token first), so a
keyword hidden in a string, an IRI or a comment is not a keyword, and a keyword spelt with
``\\u`` escapes is one (SPARQL 1.1 §19.2 unescapes code points before parsing). What is left are
the bare words, and those are enough to find SERVICE, LOAD and every update operation, the query
form and the FROM / FROM NAMED targets. It runs in the web process in linear time; the rdflib
parse in the worker is a second, independent check (``_worker.rdflib_verdict``).

One thing a lexer cannot decide alone: after an operand, ``<`` may be less-than, so ``1<2)SERVICE#>``
is an IRI to a lexer and ``1 < 2 ) SERVICE`` plus a comment to the engine. The guard fails closed
there (``_refuse_ambiguous_iris``): where ``<`` follows an operand, an IRI that is not an absolute
``scheme://`` IRI may not contain what would let the engine's reading leave the expression or fall out
of step with ours (``(`` ``)`` ``'`` ``#``). Such a query is refused with a reason, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from ._errors import QueryRefused, QueryTooDeep, QueryTooLong

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
# Update operations and federated query: none of these words can appear as a bare word in a
# read query, so refusing them costs no valid query.
FORBIDDEN = {
    "SERVICE": "SERVICE (federated query) is not allowed: this endpoint never contacts other servers",
    "LOAD": "LOAD is not allowed: this endpoint is read-only and never fetches remote data",
    **{word: f"{word} is an update operation; this endpoint is read-only"
       for word in ("INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")},
}

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_LOCAL_CHAR = r"(?:[\w\-.:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:'{0,2}(?:[^'\\]|\\.))*'''|\"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
    | (?P<bnode>_:[\w\-.]*)
    | (?P<pname>(?:[^\W\d_][\w\-.]*)?:""" + _PN_LOCAL_CHAR + r"""*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class CheckedQuery:
    """A query the guard lets through, with what the endpoint needs to know before running it."""

    text: str
    form: str  # one of QUERY_FORMS
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's pre-parse ``\u``/``\U`` unescaping.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT_ESCAPE.sub(replace, text)


def tokenize(text: str) -> list[Token]:
    """Significant tokens of a query (whitespace and comments dropped)."""
    return [Token(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text)
            if m.lastgroup not in ("space", "comment")]


def query_form(text: str) -> str:
    """The form of a query (SELECT, CONSTRUCT, DESCRIBE or ASK), read from its first keyword after the prologue."""
    tokens = tokenize(unescape_codepoints(text))
    _, _, position = _read_prologue(tokens)
    word = tokens[position].text.upper() if position < len(tokens) and tokens[position].kind == "word" else ""
    if word not in QUERY_FORMS:
        raise QueryRefused("expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return word


def check_query(text: str, *, max_length: int, local_graphs: frozenset[str]) -> CheckedQuery:
    """Refuse what must never run; return the query form and its FROM targets.

    Raises:
        QueryTooLong: the text is longer than ``max_length`` characters.
        QueryRefused: empty, an update, SERVICE, LOAD, or FROM / FROM NAMED outside ``local_graphs``.
    """
    if len(text) > max_length:
        raise QueryTooLong(f"the query is {len(text)} characters long; the limit is {max_length}")
    tokens = tokenize(unescape_codepoints(text))
    _refuse_deep_nesting(tokens)
    words = [t.text.upper() for t in tokens if t.kind == "word"]
    for word in words:
        if word in FORBIDDEN:
            raise QueryRefused(FORBIDDEN[word])
    base, prefixes, position = _read_prologue(tokens)
    _refuse_ambiguous_iris(tokens, declared=set(prefixes))
    if position >= len(tokens):
        raise QueryRefused("no query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    form = tokens[position].text.upper() if tokens[position].kind == "word" else ""
    if form not in QUERY_FORMS:
        raise QueryRefused(f"expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {tokens[position].text[:40]!r}")
    from_graphs, from_named = _read_dataset_clauses(tokens, base=base, prefixes=prefixes)
    for iri in (*from_graphs, *from_named):
        if iri not in local_graphs:
            raise QueryRefused(f"FROM <{iri}> is not one of this endpoint's graphs; only local graphs can be "
                               "queried (see the service description for their names)")
    return CheckedQuery(text=text, form=form, from_graphs=tuple(from_graphs), from_named_graphs=tuple(from_named))


# tokens after which "<" can be the less-than operator (an expression operand ends there)
_OPERAND_KINDS = frozenset({"var", "number", "string", "iri", "pname", "lang", "bnode"})
_OPERAND_WORDS = frozenset({"TRUE", "FALSE"})
_ABSOLUTE_HIERARCHICAL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_UNSAFE_IN_AMBIGUOUS_IRI = re.compile(r"[()'#]")


_SCHEME_OR_PREFIX = re.compile(r"([A-Za-z][\w.\-]*):")


def _cannot_continue_an_expression(content: str, declared: set[str]) -> bool:
    """True when ``content`` read after less-than is a syntax error, so the engine must read an IRI:
    "scheme://..." ("http:" then "//" never parses) or "name:..." with an undeclared prefix "name"."""
    if _ABSOLUTE_HIERARCHICAL.match(content):
        return True
    found = _SCHEME_OR_PREFIX.match(content)
    return bool(found) and found.group(1) not in declared


def _refuse_ambiguous_iris(tokens: list[Token], *, declared: set[str]) -> None:
    """Refuse an IRI that the engine could read as ``<`` (less-than) followed by code we did not see."""
    for before, previous, token in zip([Token("other", "")] + tokens, tokens, tokens[1:]):
        if token.kind != "iri" or (before.kind == "word" and before.text.upper() == "PREFIX"):
            continue   # PREFIX p: <iri> is a declaration, never an expression
        after_operand = previous.kind in _OPERAND_KINDS or previous.text in (")", "]") or \
            (previous.kind == "word" and previous.text.upper() in _OPERAND_WORDS)
        if not after_operand:
            continue
        content = token.text[1:-1]
        if not _cannot_continue_an_expression(content, declared) and _UNSAFE_IN_AMBIGUOUS_IRI.search(content):
            raise QueryRefused(
                f"ambiguous '<' before {token.text[:40]!r}: it could be less-than or the start of an IRI. "
                "Put spaces around '<' when you mean less-than, or write ( ) ' in an IRI as %28 %29 %27")


MAX_NESTING = 100   # the engine's recursive parser overflows its stack somewhere past a thousand levels


def _refuse_deep_nesting(tokens: list[Token]) -> None:
    depth = deepest = 0
    for token in tokens:
        if token.text in ("{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in ("}", ")", "]"):
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryTooDeep(f"the query nests groups or brackets {deepest} levels deep; at most {MAX_NESTING} "
                           "levels are accepted")


def _read_prologue(tokens: list[Token]) -> tuple[str | None, dict[str, str], int]:
    base: str | None = None
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(tokens) and tokens[i].kind == "word" and tokens[i].text.upper() in ("BASE", "PREFIX"):
        if tokens[i].text.upper() == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            base = _resolve(tokens[i + 1].text[1:-1], base)
            i += 2
        elif (tokens[i].text.upper() == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1].kind == "pname"
              and tokens[i + 1].text.endswith(":") and tokens[i + 2].kind == "iri"):
            prefixes[tokens[i + 1].text[:-1]] = _resolve(tokens[i + 2].text[1:-1], base)
            i += 3
        else:
            raise QueryRefused("malformed BASE or PREFIX declaration")
    return base, prefixes, i


def _read_dataset_clauses(tokens: list[Token], *, base: str | None,
                          prefixes: dict[str, str]) -> tuple[list[str], list[str]]:
    default: list[str] = []
    named: list[str] = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.text.upper() != "FROM":
            continue
        is_named = i + 1 < len(tokens) and tokens[i + 1].kind == "word" and tokens[i + 1].text.upper() == "NAMED"
        target = named if is_named else default
        j = i + 2 if is_named else i + 1
        if j >= len(tokens):
            raise QueryRefused("FROM without a graph IRI")
        iri = _iri_of(tokens[j], base=base, prefixes=prefixes)
        if iri is None:
            raise QueryRefused(f"FROM must name a graph IRI, found {tokens[j].text[:40]!r}")
        target.append(iri)
    return default, named


def _iri_of(token: Token, *, base: str | None, prefixes: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix not in prefixes:
            raise QueryRefused(f"undeclared prefix {prefix + ':'!r}")
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri
