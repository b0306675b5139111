"""Content negotiation: the Accept header (with q-values) or a ``format`` override picks one format."""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import NotAcceptable


@dataclass(frozen=True)
class Format:
    """One serialisation the endpoint can write."""

    key: str  # stable short name, also the value of ?format=
    media_type: str
    aliases: tuple[str, ...] = ()  # other ?format= values and media types meaning the same

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml", "n-triples"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


# Order is preference: the first one wins ties and is the default without an Accept header.
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("srj", "application/json")),
    Format("xml", "application/sparql-results+xml", ("srx", "application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values", ("text/tsv",)),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("ttl", "application/x-turtle")),
    Format("ntriples", "application/n-triples", ("nt", "n-triples", "text/plain")),
    Format("jsonld", "application/ld+json", ("json-ld", "json", "application/json")),
    Format("rdfxml", "application/rdf+xml", ("rdf", "xml", "rdf+xml", "application/xml")),
)
HTML = Format("html", "text/html", ("application/xhtml+xml",))
# what common clients put in ?format= for a format we serve under another name (N3 readers read Turtle);
# only for the parameter: an Accept header keeps its exact meaning
FORMAT_PARAMETER_ALIASES = {"n3": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle",
                            "application/x-json+ld": "jsonld"}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    position: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (2 exact, 1 type/*, 0 */*), or -1 for none."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == kind and self.subtype == "*":
            return 1
        return 2 if (self.type, self.subtype) == (kind, sub) else -1


def parse_accept(header: str) -> list[_Range]:
    """Media ranges of an Accept header; malformed parts are skipped, as RFC 9110 allows."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(_Range(kind, sub, q, position))
    return ranges


def negotiate(accept: str | None, offered: tuple[Format, ...], *, override: str | None = None) -> Format:
    """The offered format the client prefers most.

    For each offered format, the most specific matching range sets its q (RFC 9110 §12.5.1);
    the highest q wins, then the server's order. ``override`` (a ``?format=`` value or a media
    type) beats the header.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_FORMATS).key
    'xml'
    """
    if override:
        # clients send a name ("json-ld"), a media type, or a list of media types ("a/b,c/d"): the first
        # one this endpoint offers wins (SPARQLWrapper sends several format parameters, joined here by commas)
        for part in override.split(","):
            wanted = part.split(";")[0].strip().lower()
            wanted = FORMAT_PARAMETER_ALIASES.get(wanted, wanted)
            for fmt in offered:
                if wanted in (fmt.key, fmt.media_type, *fmt.aliases):
                    return fmt
        raise NotAcceptable(f"unknown format {override[:80]!r}; choose one of "
                            + ", ".join(f.key for f in offered))
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int, Format] | None = None
    for rank, fmt in enumerate(offered):
        q = _quality(ranges, fmt)
        if q > 0 and (best is None or q > best[0]):
            best = (q, rank, fmt)
    if best is None:
        raise NotAcceptable("none of the accepted media types can be produced; this endpoint writes "
                            + ", ".join(f.media_type for f in offered))
    return best[2]


def _quality(ranges: list[_Range], fmt: Format) -> float:
    best = 0.0
    for media_type in (fmt.media_type, *(a for a in fmt.aliases if "/" in a)):
        specificity, q = -1, 0.0
        for r in ranges:
            match = r.matches(media_type)
            if match > specificity:
                specificity, q = match, r.q
            elif match == specificity and match >= 0:
                q = max(q, r.q)
        # an alias (application/json for JSON-LD, say) counts a little less than the format's own type
        best = max(best, q if media_type == fmt.media_type else q * 0.999)
    return best
