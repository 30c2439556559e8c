"""What every stvos service stands on. Free of business rules."""
