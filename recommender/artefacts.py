"""Case embeddings saved beside the store, so a restart or a new generation encodes only what changed.

Encoding every case is the one slow step of fitting (seconds per hundred cases with the multilingual
model). The vectors are saved per model with a manifest: the model's name, the hash of each encoded
text and a hash over all of them. A fit reuses the vector of every text whose hash it finds and
encodes the rest; a curated case therefore costs one encoding, and a restart none.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .encoders import Encoder

MANIFEST = "manifest.json"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class VectorCache:
    """Vectors of texts, per encoder, in ``directory/<model>/``; written atomically, read leniently."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.reused = 0      # of the last call: vectors taken from the saved ones
        self.encoded = 0     # of the last call: texts that had to be encoded

    def _folder(self, encoder: Encoder) -> Path:
        return self.directory / re.sub(r"[^A-Za-z0-9._-]+", "_", getattr(encoder, "name", "encoder"))

    def _saved(self, folder: Path, model: str) -> dict[str, np.ndarray]:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("model") != model:
                return {}
            vectors = np.load(folder / manifest["vectors"], allow_pickle=False)
            return dict(zip(manifest["rows"], vectors, strict=True)) if len(vectors) == len(manifest["rows"]) else {}
        except (OSError, ValueError, KeyError, TypeError):
            return {}   # no cache, or one from an interrupted write: encode afresh

    def vectors(self, texts: Sequence[str], encoder: Encoder, *, batch_size: int = 256) -> np.ndarray:
        """One L2-normalised row per text, in order; new texts are encoded and the cache rewritten."""
        model = getattr(encoder, "name", "encoder")
        folder = self._folder(encoder)
        saved = self._saved(folder, model)
        hashes = [text_hash(t) for t in texts]
        missing = [i for i, h in enumerate(hashes) if h not in saved]
        fresh = {}
        for start in range(0, len(missing), batch_size):
            chunk = missing[start:start + batch_size]
            for i, vector in zip(chunk, encoder.encode([texts[i] for i in chunk]), strict=True):
                fresh[hashes[i]] = vector
        self.reused, self.encoded = len(texts) - len(missing), len(missing)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        out = np.vstack([fresh.get(h, saved.get(h)) for h in hashes]).astype(np.float32)
        data_hash = hashlib.sha256("".join(hashes).encode()).hexdigest()[:32]
        if missing or len(saved) != len(set(hashes)):
            self._write(folder, model, hashes, out, data_hash)
        return out

    def _write(self, folder: Path, model: str, hashes: list[str], vectors: np.ndarray, data_hash: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        unique = dict(zip(hashes, vectors, strict=True))
        name = f"vectors-{data_hash}.npy"
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as tmp:
            np.save(tmp, np.vstack(list(unique.values())), allow_pickle=False)
        os.replace(tmp.name, folder / name)
        manifest = {"model": model, "dimension": int(vectors.shape[1]), "data_hash": data_hash, "vectors": name,
                    "rows": list(unique), "created": datetime.now(UTC).isoformat(timespec="seconds")}
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False, encoding="utf-8") as tmp:
            json.dump(manifest, tmp)
        os.replace(tmp.name, folder / MANIFEST)   # the manifest names its vectors: readers never see a mix
        for old in folder.glob("vectors-*.npy"):
            if old.name != name:
                old.unlink(missing_ok=True)


__all__ = ["VectorCache", "text_hash"]
