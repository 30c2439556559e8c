"""Error responses the trainer-portal views share, documented the same way everywhere."""
from __future__ import annotations

TRAINER_ONLY = (403, "TRAINER_ROLE_REQUIRED: the token is not a trainer's. Or TENANT_MISMATCH: the token belongs "
                     "to another client than the API key")
NO_TRAINER = (404, "TRAINER_NOT_FOUND: the catalog does not know the calling trainer (yet)")
ID = "<int(max=2147483647):item_id>"
