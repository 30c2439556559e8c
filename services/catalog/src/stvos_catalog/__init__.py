"""stvos catalog service: trainer profiles, services, classes, programmes and invite codes."""
