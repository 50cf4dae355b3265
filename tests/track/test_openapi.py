"""schemathesis over /openapi.json on the real app and database: no 5xx, bounded examples."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, settings  # noqa: E402


def test_no_server_errors(client):
    """Every operation, examples generated from its schema, as a planner and a county officer."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    ops = [r.ok() for r in schema.get_all_operations()]
    assert len(ops) >= 12
    for op in ops:
        check_operation(client, op)


def check_operation(client, op):
    from hypothesis import given

    @given(case=op.as_strategy())
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def run(case):
        for user in ("plan", "song"):
            response = case.call(headers=client.tokens[user])
            assert response.status_code < 500, (op.method, op.path, response.status_code, response.text[:300])
            if response.status_code >= 400:
                ctype = response.headers.get("content-type") or [""]
                assert (ctype[0] if isinstance(ctype, list) else ctype).startswith("application/problem+json"), (
                    op.method, op.path, response.text[:200])

    run()


def test_openapi_lists_the_resources(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/regions", "/api/regions/{region_id}", "/api/projects", "/api/projects/{project_id}/milestones",
            "/api/reports", "/api/reports/{report_id}/approve", "/api/plans", "/api/plans/{plan_id}",
            "/api/import", "/api/audit", "/api/auth/token"} <= paths
