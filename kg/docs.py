"""HTML documentation of the Kringloop ontology, generated offline with pyLODE."""

from __future__ import annotations

import importlib.metadata
import logging
import sys
import types
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS

__all__ = ["write_ontology_docs"]

# pyLODE 3.4.1 reads its version from a pyproject.toml that its wheel does not ship, so importing
# it fails (https://github.com/RDFLib/pyLODE/issues/260, fixed after 3.4.1). Registering the
# version module first lets the import succeed without touching the installed package.
if "pylode.version" not in sys.modules:
    _version = types.ModuleType("pylode.version")
    _version.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
    sys.modules["pylode.version"] = _version

# pyLODE's loader calls logging.basicConfig(level=DEBUG) at import; keep the host's logging as it was.
_root = logging.getLogger()
_handlers, _level = list(_root.handlers), _root.level
from pylode import OntPub  # noqa: E402  (needs the version shim above)

_root.handlers[:] = _handlers
_root.setLevel(_level)

LANGUAGES = ("nl", "en")
MERGED = ((RDFS.label, " / "), (DCTERMS.title, " / "), (RDFS.comment, "\n\n"), (DCTERMS.description, "\n\n"))


def write_ontology_docs(ontology_ttl: Path, out_html: Path) -> Path:
    """Write pyLODE HTML for ``ontology_ttl`` to ``out_html`` and return its path; reads no network."""
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    # pyLODE renders from a graph it extends in place, so it gets its own copy.
    doc = OntPub(ontology=_merge_languages(Graph().parse(ontology_ttl)), sort_subjects=True)
    out_html.write_text(doc.make_html(), encoding="utf-8")
    return out_html


def _merge_languages(graph: Graph) -> Graph:
    """Merge each term's @nl and @en texts into one, Dutch first.

    pyLODE shows every label of a term run together, derives the anchor from whichever one it meets
    first and lists descriptions in no fixed language order. One "nl / en" label gives a readable
    heading and a stable anchor; one description (markdown, a paragraph per language) reads Dutch first.
    """
    for predicate, separator in MERGED:
        for term in set(graph.subjects(predicate, None)):
            by_lang = {value.language: str(value) for value in graph.objects(term, predicate)
                       if isinstance(value, Literal)}
            parts = [by_lang[lang] for lang in LANGUAGES if lang in by_lang]
            if len(parts) < 2:
                continue
            combined = parts[0] if parts[0] == parts[1] else separator.join(parts)
            graph.remove((term, predicate, None))
            graph.add((term, predicate, Literal(combined)))
    return graph
