"""Everything that talks to the outside world: the ILS (SIP2, SOAP), the portal store, cache, mail.

Never imports Strawberry or Starlette.
"""
