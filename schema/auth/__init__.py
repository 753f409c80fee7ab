"""Sign-in and sign-out mutations (the implementation of `AuthService` lives in the gateway)."""
