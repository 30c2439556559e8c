"""The embedded platform: every service composed in one process, the stvos CLI, demo seeding, the OpenAPI merge."""
