"""The partner service documents every operation: a one-line summary and its error responses."""
from __future__ import annotations

import pytest

OPERATIONS = {
    ("post", "/partner-auth/login"), ("post", "/partner-auth/refresh"), ("get", "/partner-auth/me"),
    ("post", "/partner-auth/logout"), ("get", "/partner/trainers"), ("post", "/partner/trainers"),
    ("get", "/partner/trainers/{trainer_id}"), ("put", "/partner/trainers/{trainer_id}"),
    ("post", "/partner/trainers/{trainer_id}/deactivate"), ("get", "/partner/vouchers"),
    ("post", "/partner/vouchers"), ("get", "/partner/vouchers/{voucher_id}/redemptions"),
    ("get", "/partner/staff"), ("post", "/partner/staff"), ("get", "/partner/overview"),
    ("post", "/auth/voucher/validate"), ("post", "/internal/vouchers/redeem"),
    ("post", "/internal/vouchers/redemptions/{redemption_id}/release"), ("get", "/partner/settings"),
    ("put", "/partner/settings"), ("post", "/partner/trainers/{trainer_id}/invitation"),
    ("post", "/partner/trainers/{trainer_id}/reset-account"),
}


@pytest.fixture
def document(platform):
    response = platform.apps["partner"].test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operations(document):
    return {(method, path): operation for path, item in document["paths"].items()
            for method, operation in item.items() if method != "parameters"}


def test_every_endpoint_is_documented(document):
    assert set(_operations(document)) == OPERATIONS


def test_every_operation_has_a_one_line_summary_and_error_responses(document):
    for key, operation in _operations(document).items():
        summary = operation.get("summary", "")
        assert summary and "\n" not in summary, key
        assert any(status.startswith("4") for status in operation["responses"]), key


def test_partner_admin_operations_declare_the_bearer_token_and_its_401(document):
    for (method, path), operation in _operations(document).items():
        if path.startswith("/partner/") or path in ("/partner-auth/me", "/partner-auth/logout"):
            assert operation["security"] == [{"bearerAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)
