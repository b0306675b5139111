"""Encoders: the fake one used everywhere, and (slow) the two bundled real models, loaded offline."""

from __future__ import annotations

import numpy as np
import pytest

from recommender import HashingEncoder, LazyEncoder, load_encoder


def test_hashing_encoder_is_deterministic_and_normalised() -> None:
    a = HashingEncoder(dim=64).encode(["kringwinkel", "repair café"])
    b = HashingEncoder(dim=64).encode(["kringwinkel", "repair café"])
    assert a.shape == (2, 64) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)


def test_lazy_encoder_loads_nothing_until_used() -> None:
    lazy = LazyEncoder("hashing")
    assert not lazy.loaded
    assert lazy.encode(["x"]).shape[0] == 1 and lazy.loaded


def test_an_unknown_model_name_is_refused_without_touching_the_hub(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        load_encoder(str(tmp_path / "no-such-model"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["use-multilingual", "minilm"])
def test_bundled_models_load_offline_and_rank_paraphrases_first(name: str) -> None:
    enc = load_encoder(name)
    v = enc.encode(["hergebruik van bouwmaterialen bij sloop", "herbruikbare bouwmaterialen uit afbraakwerken",
                    "subsidie voor regenwaterputten"])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]


@pytest.mark.slow
def test_use_is_cross_lingual() -> None:
    enc = load_encoder("use-multilingual")
    v = enc.encode(["herstelcafé voor kapotte toestellen", "repair café for broken appliances", "regenwater opvangen"])
    assert v[0] @ v[1] > 0.5 > v[0] @ v[2]
