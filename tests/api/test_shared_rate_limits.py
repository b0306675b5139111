"""Rate limits shared by replicas: token buckets in PostgreSQL (state/ratebuckets.py, api/ratelimit.py).

Refill over time (with the clock given, so nothing depends on how fast the machine is), racing takers that
must not both spend the last token, pruning of full buckets, and failing closed (503, canonical body) when
the database cannot be reached. Two real replicas sharing a bucket: tests/api/test_replicas.py.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from _state_env import settings_for
from fastapi.testclient import TestClient

from api.ratelimit import TokenBucket
from fixtures.postgres import new_database
from fixtures.store_servers import free_port
from state.db import opened
from state.errors import StateUnavailable
from state.ratebuckets import SharedTokenBucket


@pytest.fixture(scope="module")
def state_url(postgres_server: str) -> str:
    return new_database(postgres_server)


def test_a_shared_bucket_refills_at_its_rate(state_url: str) -> None:
    bucket = SharedTokenBucket(state_url, "refill", 2.0, 3)
    t = 1_000_000.0
    assert [bucket.take("10.0.0.1", now=t) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("10.0.0.1", now=t) == pytest.approx(0.5)     # empty: one token takes 1/rate s
    assert bucket.take("10.0.0.2", now=t) == 0.0                    # another client has its own bucket
    assert bucket.take("10.0.0.1", now=t + 0.25) == pytest.approx(0.25)   # half a token is not enough
    assert bucket.take("10.0.0.1", now=t + 0.5) == 0.0              # a whole one now
    assert bucket.take("10.0.0.1", now=t + 0.5) == pytest.approx(0.5)
    assert [bucket.take("10.0.0.1", now=t + 100) for _ in range(4)][-1] > 0   # refills up to the burst, no more
    # a clock that goes back (a replica whose statement started earlier) gives no tokens and takes none away
    assert bucket.take("10.0.0.1", now=t + 99) > 0
    assert bucket.take("10.0.0.1", now=t + 100.5) == 0.0


def test_the_same_limit_is_one_bucket_for_every_replica(state_url: str) -> None:
    """Two limiter objects (as in two replicas) with the same name count into the same bucket."""
    a, b = SharedTokenBucket(state_url, "pair", 0.001, 2), SharedTokenBucket(state_url, "pair", 0.001, 2)
    assert (a.take("10.0.0.9"), b.take("10.0.0.9")) == (0.0, 0.0)
    assert a.take("10.0.0.9") > 0 and b.take("10.0.0.9") > 0
    assert SharedTokenBucket(state_url, "other", 0.001, 2).take("10.0.0.9") == 0.0   # names are separate


@pytest.mark.parametrize("burst, takers", [(1, 8), (5, 12)])
def test_racing_takers_never_spend_more_than_the_burst(state_url: str, burst: int, takers: int) -> None:
    """Threads on their own connections (as replicas are) take at the same moment: exactly `burst` win."""
    for round_ in range(15):
        client = f"race-{burst}-{round_}"
        barrier = threading.Barrier(takers)
        results: list[float] = []
        errors: list[BaseException] = []

        def take() -> None:
            bucket = SharedTokenBucket(state_url, "race", 0.0001, burst)
            try:
                bucket.take("warm-up-" + threading.current_thread().name)   # connect before the race
                barrier.wait()
                results.append(bucket.take(client))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=take) for _ in range(takers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not errors, errors
        assert sorted(r == 0.0 for r in results).count(True) == burst, results


def test_full_buckets_are_pruned_and_others_kept(state_url: str) -> None:
    bucket = SharedTokenBucket(state_url, "prune", 1.0, 10)   # full again 10 s after the last take
    t = 2_000_000.0
    bucket.take("old", now=t)
    bucket.take("recent", now=t + 8)

    def clients() -> set[str]:
        with opened(state_url) as conn:
            return {r[0] for r in conn.execute("SELECT client FROM rate_buckets WHERE name = 'prune'").fetchall()}

    bucket.prune(now=t + 9)
    assert clients() >= {"old", "recent"}      # neither is full yet
    assert bucket.prune(now=t + 11) >= 1
    assert "old" not in clients() and "recent" in clients()
    assert bucket.take("old", now=t + 11) == 0.0   # a pruned bucket starts full, as it would have been


def test_an_unreachable_database_fails_closed_with_503(build_dir: Path, tmp_path: Path) -> None:
    """No PostgreSQL listening: the limited route answers 503 with the canonical body, not 500, not success."""
    import api.app
    from api.routes import health, registrations

    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/kringloop"
    with pytest.raises(StateUnavailable):
        SharedTokenBucket(dead, "x", 1.0, 1).take("10.0.0.1")
    saved = api.app.ROUTERS
    api.app.ROUTERS = [health.register, registrations.register]
    try:
        app = api.app.create_app(settings_for(build_dir, tmp_path / "var", state_url=dead))
    finally:
        api.app.ROUTERS = saved
    with TestClient(app) as client:
        # the first tries to connect; the next is refused at once (fail fast), the same way
        for expected in ("the state database cannot be reached", "the rate-limit counter (state database) cannot"):
            answer = client.post("/api/v1/registrations", json={"nis_code": "24062"})
            assert answer.status_code == 503, answer.text
            body = answer.json()
            assert body["ok"] is False and body["status"] == 503 and body["error"].startswith(expected), body
            assert answer.headers["retry-after"] == "5"
            assert "127.0.0.1" not in answer.text   # no internal address in the public body
        assert isinstance(app.state.rate_limiters["registrations"], SharedTokenBucket)


def test_the_sqlite_state_keeps_buckets_in_memory(build_dir: Path, tmp_path: Path) -> None:
    import api.app
    from api.routes import health, registrations

    saved = api.app.ROUTERS
    api.app.ROUTERS = [health.register, registrations.register]
    try:
        app = api.app.create_app(settings_for(build_dir, tmp_path / "var", rate_limits={"registrations": (0.01, 1)}))
    finally:
        api.app.ROUTERS = saved
    with TestClient(app) as client:
        codes = [client.post("/api/v1/registrations", json={"nis_code": "24062"}).status_code for _ in range(2)]
        assert codes == [201, 429]
        assert type(app.state.rate_limiters["registrations"]) is TokenBucket


def test_the_cli_says_in_one_line_that_the_state_cannot_be_reached(capsys: pytest.CaptureFixture[str]) -> None:
    from api.cli import main as cli_main

    dead = f"postgresql://postgres:secret@127.0.0.1:{free_port()}/kringloop"
    assert cli_main(["token", "list", "--state-dir", dead]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be reached" in err and "Traceback" not in err
    assert "secret" not in err   # the password never shows
