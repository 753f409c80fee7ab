"""The legacy ILS: its port (what the schema may ask), domain dataclasses, and the SIP2/SOAP clients."""
