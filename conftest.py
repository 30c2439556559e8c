"""Fixtures every test directory can use; the fixtures themselves live in tests/fixtures/."""
pytest_plugins = [
    "tests.fixtures.figures", "tests.fixtures.platform", "tests.fixtures.servers", "tests.fixtures.stack",
    "tests.fixtures.tracing",
]
