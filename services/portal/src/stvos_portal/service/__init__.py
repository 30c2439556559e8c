"""Use cases and the event handlers of the portal."""
