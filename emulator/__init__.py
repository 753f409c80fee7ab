"""The reference legacy ILS: a real SIP2 TCP server and a real SOAP (WSDL) service over one SQLite database.

Shares no code with `adapters` except the SIP2 codec.
"""
