"""stvos auth service: tenants, API keys, users and trainers, credentials, tokens and the JWKS."""
