"""HTTP routes of the gateway besides /graphql."""
