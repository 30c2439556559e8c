"""The catalog's rules, commands, events and errors: plain Python."""
