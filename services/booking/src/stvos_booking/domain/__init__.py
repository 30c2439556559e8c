"""The booking rules as plain Python: no framework, no I/O."""
