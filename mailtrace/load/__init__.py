"""Reading messages from bytes, text, paths, file objects, mbox files and Maildirs."""

from mailtrace.load.sources import Source, iter_messages, load_one

__all__ = ["Source", "iter_messages", "load_one"]
