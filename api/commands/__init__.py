"""Subcommands of ``kringloop``; each module has ``add_parser(subparsers)`` (which sets ``run``)."""

from __future__ import annotations

from . import graph, serve

COMMANDS = [graph, serve]
from . import recommend  # noqa: E402
COMMANDS.append(recommend)
from . import cop  # noqa: E402
COMMANDS.append(cop)
from . import token  # noqa: E402
COMMANDS.append(token)
