"""A note as an HTML page (screen and print) and as an A4 PDF (WeasyPrint).

The PDF is rendered from the same template with the stylesheet inlined and a URL fetcher that
fetches nothing: the server never makes an outbound request to draw a note, whatever the profile says.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ._content import Note

API_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = "note.html"
STYLESHEET = API_DIR / "static" / "note.css"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(API_DIR / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["pct"] = _percent
    return env


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return json.loads((API_DIR / "static" / "i18n.json").read_text(encoding="utf-8"))


def _percent(share: float | None, lang: str = "nl") -> str:
    """'63 %' in Dutch (with a space, as the seed writes it), '63%' in English; '?' when missing.

    >>> _percent(0.63), _percent(0.03, "en")
    ('63 %', '3%')
    """
    if share is None:
        return "?"
    n = round(share * 100)
    return f"{n} %" if lang == "nl" else f"{n}%"


def render_html(note: Note, *, links: dict[str, str], for_pdf: bool = False) -> str:
    """The note as one HTML document. ``links``: ``self`` (shareable URL), ``pdf``, ``other_lang``, ``back``."""
    table = _labels()

    def t(key: str, **values: Any) -> str:
        text = table[key][note.lang]
        return text.format(**values) if values else text

    css = Markup(STYLESHEET.read_text(encoding="utf-8")) if for_pdf else None
    return _environment().get_template(TEMPLATE).render(note=note, lang=note.lang, t=t, links=links,
                                                       for_pdf=for_pdf, inline_css=css)


class _NoFetching:
    """WeasyPrint URL fetcher that refuses every URL: a note embeds no remote or local resource."""

    _fail_on_errors = False   # read by weasyprint.urls.fetch: a refused URL is skipped, not fatal

    def __call__(self, url: str) -> Any:
        raise ValueError(f"notes fetch no resources ({url})")


def render_pdf(note: Note, *, links: dict[str, str]) -> bytes:
    """The note as an A4 PDF."""
    # imported here: WeasyPrint loads Pango through cffi, which only the PDF path needs
    import weasyprint

    html = render_html(note, links=links, for_pdf=True)
    return weasyprint.HTML(string=html, base_url=links.get("self"), url_fetcher=_NoFetching()).write_pdf()
