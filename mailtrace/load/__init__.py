"""Reading messages from bytes, text, paths, file objects, mbox files, Maildirs, folders and .msg files."""

from mailtrace.load.sources import ReadOptions, Source, iter_messages, load_one

__all__ = ["ReadOptions", "Source", "iter_messages", "load_one"]
