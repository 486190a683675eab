"""A request body over the console's limit (MAX_CONTENT_LENGTH) gets 413 with a JSON error, and
the console keeps serving."""

from __future__ import annotations

import httpx
import pytest

TWO_MB = 2 * 1024 * 1024


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [("POST", "/login", "application/x-www-form-urlencoded"),
     ("POST", "/login", "multipart/form-data; boundary=x"),
     ("GET", "/", "application/json"), ("POST", "/nowhere", "application/json")],
)  # fmt: skip
def test_a_body_over_the_limit_gets_413_json_and_the_console_keeps_serving(
    console, method, path, kind
):
    with httpx.Client(timeout=30) as client:
        response = client.request(
            method,
            f"{console}{path}",
            content=b"a=" + b"x" * TWO_MB,
            headers={"Content-Type": kind},
        )
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("application/json")
        assert "too large" in response.json()["error"]
        page = client.get(f"{console}/login")
        assert page.status_code == 200 and "csrf_token" in page.text
