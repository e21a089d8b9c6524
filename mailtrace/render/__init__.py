"""Renderers for reports: text for a terminal, JSON and JSON Lines for scripts."""

from mailtrace.render.text import render_text

__all__ = ["render_text"]
