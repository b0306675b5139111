"""Reading a command's input file: YAML or JSON (JSON is YAML, so one parser reads both)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..usage import UsageError


def read_mapping(path: Path, *, expected: str) -> dict[str, Any]:
    """The mapping in ``path``; anything else is a one-line UsageError naming ``expected``."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        body = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML or JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(body, dict):
        raise UsageError(f"{path}: expected a mapping with {expected}")
    return body
