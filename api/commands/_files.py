"""Reading a command's input file: YAML or JSON (JSON is YAML, so one parser reads both)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..usage import UsageError


MAX_NESTING = 64   # a request is a few levels deep; thousands of levels only exhaust the parser's stack


def _max_nesting(text: str) -> int:
    """An upper bound on how deeply brackets and braces nest (strings and comments included: it only
    errs towards refusing), and on block nesting by indentation. Linear, no parser involved."""
    deepest = depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    indents = {len(line) - len(line.lstrip(" ")) for line in text.splitlines() if line.strip()}
    return max(deepest, len(indents))


def read_mapping(path: Path, *, expected: str) -> dict[str, Any]:
    """The mapping in ``path``; anything else is a one-line UsageError naming ``expected``."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    text = path.read_text(encoding="utf-8")
    depth = _max_nesting(text)
    if depth > MAX_NESTING:
        raise UsageError(f"{path}: nested {depth} levels deep; at most {MAX_NESTING} levels are accepted")
    try:
        body = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML or JSON ({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise UsageError(f"{path}: nested too deeply") from None
    if not isinstance(body, dict):
        raise UsageError(f"{path}: expected a mapping with {expected}")
    return body
