"""Publishing store generations: atomic swaps, old generations collected, stores side by side independent."""

from __future__ import annotations

from pathlib import Path

from kg.store import GraphStore, store_generation, write_store


def _quads(value: str) -> bytes:
    return f'<urn:s> <urn:p> "{value}" <urn:g> .\n'.encode()


def test_each_publish_is_a_new_generation_and_old_ones_are_collected(tmp_path: Path) -> None:
    seen = []
    for value in ("a", "b", "c", "d"):
        store = write_store(_quads(value), tmp_path / "store")
        seen.append(store_generation(tmp_path / "store"))
        assert [q.object.value for q in store.store] == [value]
    assert len(set(seen)) == 4
    # the current generation and the one before it stay (readers of the previous one keep working)
    kept = sorted(p.name for p in (tmp_path / "store.generations").iterdir())
    assert len(kept) == 2 and Path(seen[-1]).name in kept and Path(seen[-2]).name in kept


def test_two_stores_in_one_folder_never_collect_each_other(tmp_path: Path) -> None:
    write_store(_quads("main"), tmp_path / "store")
    for value in ("x", "y", "z"):
        write_store(_quads(value), tmp_path / "synthetic-store")
    main = GraphStore.open(tmp_path / "store")
    assert [q.object.value for q in main.store] == ["main"]
