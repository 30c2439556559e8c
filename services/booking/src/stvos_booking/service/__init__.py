"""The booking service's use cases and the guarded writes they are built on."""
