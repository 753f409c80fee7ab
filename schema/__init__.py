"""The GraphQL schema: Strawberry types, queries, mutations, loaders, and the portal rules.

Never imports Starlette; talks to the outside only through the ports in `adapters`.
"""
