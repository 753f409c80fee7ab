"""The renderers of downloads: pure functions from documents (schema/downloads/documents.py) to bytes.

One module per format. They never read a store, the ILS, the clock or the network, and
never import Strawberry: what a file shows is decided before they are called.
"""
