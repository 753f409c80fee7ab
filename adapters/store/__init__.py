"""The portal store: what the gateway keeps itself (sessions, shares, idempotency keys, portal data)."""
