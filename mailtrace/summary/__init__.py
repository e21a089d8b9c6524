"""``mailtrace summary``: what a batch holds, and the campaigns in it.

:class:`Summary` takes rows (:func:`mailtrace.render.row.row_from_dict`, the
same as ``--format csv``) one at a time and keeps counters and clusters, never
the reports, so it runs over any number of messages in bounded memory:
counts by verdict, origin network and provider, authenticated identity, From:
domain and Return-Path domain (:mod:`~mailtrace.summary.counts`) and campaign
clusters (:mod:`~mailtrace.summary.clusters`). :mod:`~mailtrace.summary.render`
writes it as text, JSON or CSV.
"""

from __future__ import annotations

from mailtrace.summary.summary import Summary

__all__ = ["Summary"]
