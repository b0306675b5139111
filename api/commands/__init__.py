"""Subcommands of ``kringloop``; each module has ``add_parser(subparsers)`` (which sets ``run``)."""

from __future__ import annotations

from . import cop, graph, recommend, serve, token

COMMANDS = [graph, serve, recommend, cop, token]
