"""Opt-in xAPI for the plain site (``xapi:`` in course.yml): the settings script the site loads,
and the LRS origin its Content-Security-Policy lets the site send to. Off by default: without the
setting the site sends nothing to any other host."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from .model import LoadedCourse

# Loaded in this order, before quiz.js: the settings, the statement queue, the reporter.
XAPI_SCRIPTS = ("xapi-settings.js", "xapi-queue.js", "xapi.js")


def xapi_origin(endpoint: str) -> str:
    """The scheme, host and port of the LRS endpoint (what connect-src needs)."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def xapi_settings(loaded: LoadedCourse, site_url: str | None, language: str = "en-US") -> str:
    """``xapi-settings.js``: the endpoint and the activity id base, as a script (the CSP allows
    only the site's own script files). ``language`` tags the statements' texts (the site's)."""
    xapi = loaded.course.xapi
    assert xapi is not None
    base = (xapi.activity_base or site_url or f"urn:coursegen:{loaded.course.id}").rstrip("/")
    data = {"endpoint": xapi.endpoint, "activityBase": base, "course": loaded.course.id, "language": language}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.coursegenXapiSettings = {text};\n"
