"""SIP2 2.00: the sans-io codec (`codec`, `messages`, `layout`, `framing`, `dates`, `errors`),
shared with the emulator, and the gateway's pooled async client (`config`, `connection`,
`pool`, `mapping`, `client`)."""
