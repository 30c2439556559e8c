"""Fixtures every test directory can use; the fixtures themselves live in tests/fixtures/."""
pytest_plugins = ["tests.fixtures.platform", "tests.fixtures.servers", "tests.fixtures.tracing"]
