"""The named example queries in kg/queries/examples/*.rq, with the metadata in their header comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.queries import EXAMPLE_DIR

_HEADER = re.compile(r"^#\s*(title|title_en|description|description_en)\s*:\s*(.*?)\s*$")
_FIELDS = {"title", "title_en", "description", "description_en"}


@dataclass(frozen=True)
class ExampleQuery:
    """One example: its file name (without .rq), Dutch and English titles and descriptions, and text."""

    name: str
    title: str
    title_en: str
    description: str
    description_en: str
    query: str


def parse_example(name: str, text: str) -> ExampleQuery:
    """Read the ``# title:`` / ``# title_en:`` / ``# description:`` / ``# description_en:`` header lines.

    The unsuffixed fields are Dutch. A description may continue on following ``#`` lines until a
    blank comment line, another field or code.

    >>> parse_example("x", "# title: Tel\\n# title_en: Count\\n# description: Hoeveel.\\n"
    ...               "# description_en: How many.\\nASK {}").description_en
    'How many.'
    """
    fields: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            last = match.group(1)
            fields[last] = match.group(2)
        elif last in ("description", "description_en") and line.strip("# \t"):
            fields[last] += " " + line.lstrip("#").strip()
        else:
            last = None
    missing = _FIELDS - fields.keys()
    if missing:
        raise ValueError(f"example query {name!r} lacks the header line(s) {', '.join(sorted(missing))}")
    return ExampleQuery(name=name, title=fields["title"], title_en=fields["title_en"],
                        description=fields["description"], description_en=fields["description_en"], query=text)


def load_examples(directory: Path = EXAMPLE_DIR) -> list[ExampleQuery]:
    """Every example query, sorted by name."""
    return [parse_example(path.stem, path.read_text(encoding="utf-8"))
            for path in sorted(Path(directory).glob("*.rq"))]
