"""The catalog's use cases: one class per aggregate, built by bootstrap."""
