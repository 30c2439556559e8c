"""The catalog's HTTP API: one blueprint per resource, thin views."""
