"""HTTP: one blueprint per resource."""
