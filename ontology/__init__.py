"""The Kringloop ontology (``kringloop.ttl``) and its SHACL shapes (``shapes.ttl``), shipped as package data.

The build, validation, curation and the ``/ontology`` page find both files here, so an installed
Kringloop (not only a checkout) builds with its ontology and checks every graph against its shapes.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent
ONTOLOGY_TTL = DIR / "kringloop.ttl"
SHAPES_TTL = DIR / "shapes.ttl"

__all__ = ["DIR", "ONTOLOGY_TTL", "SHAPES_TTL"]
