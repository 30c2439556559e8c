"""Credentials, once for every service that signs people in (auth for users and trainers, partner for staff).

- settings.CredentialSettings: the knobs, under one set of names, read from the environment by each service.
- login.LoginGuard: per-address limits, per (account, address) throttling, a per-account back-off that never
  refuses an address that has not been failing, and one argon2 verification per attempt whether or not the
  account exists.
- refresh.RefreshFamilies: refresh tokens in families, rotated on every use, exchanged once (a retry within
  the grace gets the same successor), a replay after the grace revoking the family.
Each service adds the tables (login_failures_table, refresh_tables) to its own metadata.
"""
