"""Helpers of the portal tests: events built from the contracts, doubles of auth/catalog/booking, the app."""
