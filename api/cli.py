"""The ``kringloop`` command: one entry point over kg, recommender and api.

Each subcommand lives in ``api/commands/<name>.py`` with ``add_parser(subparsers)`` and
``run(args) -> int``. Bad input: a one-line message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys

from kg.errors import KgError
from recommender.cop import CopError
from recommender.errors import RecommenderError
from state.errors import StateUnavailable

from .commands import COMMANDS
from .usage import UsageError

# error -> exit code, first match wins: bad input (a file, a field, an unknown code, a plan that cannot be
# made as asked) is 2 and one line on stderr; a build whose data fail validation says so itself (exit 1)
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (UsageError, 2), (RecommenderError, 2), (CopError, 2), (KgError, 2),
    (ValueError, 2), (LookupError, 2), (FileNotFoundError, 2),
    (StateUnavailable, 1),   # the PostgreSQL state did not answer: not the user's input, but still one line
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + exits 2; keep it to one line
        print(f"kringloop: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kringloop", description="Kringloop knowledge graph and recommender")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except tuple(cls for cls, _ in EXIT_CODES) as exc:
        detail = f" ({exc.detail})" if getattr(exc, "detail", "") else ""   # the operator may see the host
        print(f"kringloop {args.command}: {exc}{detail}", file=sys.stderr)
        return next(code for cls, code in EXIT_CODES if isinstance(exc, cls))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. head
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
