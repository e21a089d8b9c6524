"""``mailtrace serve``: a local web page to paste headers into (the optional extra ``mailtrace[web]``).

See ``docs/html.md``. :func:`create_app` builds the Starlette application; :func:`serve`
runs it with uvicorn.
"""

from mailtrace.web.app import DEFAULT_MAX_UPLOAD, create_app
from mailtrace.web.run import serve

__all__ = ["DEFAULT_MAX_UPLOAD", "create_app", "serve"]
