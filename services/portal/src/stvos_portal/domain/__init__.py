"""Plain Python: the portal's rules, commands, events and errors."""
