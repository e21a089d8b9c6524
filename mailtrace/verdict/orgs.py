"""A cheap test before a Public Suffix List lookup whose answer is only compared.

The organisational domain of a host name (:func:`mailtrace.trace.hosts.org_domain`) is a tail of
the name, lower-cased: ``None``, or a suffix of ``clean_host(name)``, which is a part of
``name.lower()``. For an ASCII name, then, ``org_domain(name) == org`` (and
``(org_domain(name) or name.lower()) == org``) can hold only when ``org`` is in ``name.lower()``:
without it the lookup (a cache miss costs a walk of the list) is skipped. Non-ASCII names are
always looked up (lower-casing is not always per character there).
``tests/verdict/test_verdict_context_speedpaths.py`` checks the property against ``org_domain``.
"""

from __future__ import annotations


def may_be_org(name: str, org: str) -> bool:
    """``False`` when the organisational domain of ``name`` (or ``name`` itself) cannot be ``org``."""
    return not name.isascii() or org in name.lower()
