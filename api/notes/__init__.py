"""A printable note for the college and council, made from a recommendation request (issue 14).

``compose_note`` gathers what the note says (the profile as given, three practices with their
sources, peers with the recommender's reasons, the 2022 survey's figures); ``render_html`` and
``render_pdf`` draw it; ``note_query`` is the shareable URL query that brings the same note back.
"""

from __future__ import annotations

from ._content import Note, compose_note
from ._query import PROFILE_LISTS, PROFILE_SCALARS, note_query
from ._render import render_html, render_pdf

__all__ = ["PROFILE_LISTS", "PROFILE_SCALARS", "Note", "compose_note", "note_query", "render_html", "render_pdf"]
