"""The gateway route table, the embedded gateway and runner, nginx rendering and the operator CLI."""
