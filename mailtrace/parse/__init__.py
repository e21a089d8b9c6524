"""Parsers for the pieces of a message's header block."""
