"""Bad input against every endpoint of the OpenAPI schema (schemathesis, in-process over ASGI).

Schema-conforming and schema-violating requests (wrong types, missing and extra fields, odd strings)
for every operation of the full app on a private copy of the test build. The contract: never a 5xx,
and every 4xx carries a message. The examples per operation are bounded so this runs in about a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from _state_env import private_build, settings_for
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from api.app import create_app
from state.tokens import create_token

EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def fuzz_root(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    private_build(build_dir, root / "build")
    return root


@pytest.fixture(scope="module")
def fuzz_auth(fuzz_root: Path) -> dict[str, str]:
    """A valid coordinator token, so the coordinator endpoints' input checks are reached, not just 401."""
    return {"Authorization": f"Bearer {create_token(fuzz_root / 'var', 'fuzzer')}"}


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_root: Path) -> schemathesis.BaseSchema:
    app = create_app(settings_for(fuzz_root / "build", fuzz_root / "var", sparql_timeout_s=2.0))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(modes=["positive", "negative"], max_examples=EXAMPLES_PER_OPERATION,
                                    deterministic=True)
    return schema


def _problem(response) -> str | None:  # noqa: ANN001 - a schemathesis Response
    if response.status_code >= 500:
        return f"{response.status_code} {response.text[:300]}"
    if 400 <= response.status_code < 500:
        if "json" in str(response.headers.get("content-type", "")):  # a str, or a list of values
            body = response.json()
            message = body.get("error") if isinstance(body, dict) else None
            if not (isinstance(message, str) and message.strip()):
                return f"{response.status_code} without a message: {response.text[:300]}"
        elif not response.text.strip():
            return f"{response.status_code} with an empty body"
    return None


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_request_gets_a_5xx_and_every_4xx_says_why(fuzz_schema: schemathesis.BaseSchema,
                                                      fuzz_auth: dict[str, str], mode: str) -> None:
    failures: dict[str, str] = {}
    calls = 0
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            nonlocal calls
            calls += 1
            try:
                problem = _problem(case.call(headers=fuzz_auth))
            except Exception as exc:  # in-process, an unhandled error surfaces here instead of as a 500
                problem = f"500 (unhandled {type(exc).__name__}: {str(exc)[:200]})"
            if problem:  # collected, not raised: one report naming every operation that failed
                failures.setdefault(f"{case.method} {case.formatted_path}", problem)

        try:
            run()
        except Unsatisfiable:  # no parameters to get wrong (e.g. GET /health in negative mode)
            continue
    assert len(operations) >= 10 and calls >= len(operations) * 5
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in sorted(failures.items()))
