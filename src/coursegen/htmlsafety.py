"""HTML safety after Markdown: safe links, a last line of defence, and the Content-Security-Policy.

Three layers keep author text from running in a learner's browser (see SECURITY.md):

1. ``validate.py`` refuses unsafe raw HTML and links in lesson bodies, with file:line:col.
2. ``harden_html`` runs on every page's HTML after Markdown. It adds ``rel="noopener noreferrer"``
   to external links, and on generated course pages it neutralises anything layer 1 should have
   refused (blocked elements become visible text, event handlers and unsafe links are dropped) and
   reports it, so a gap in validation is a warning, not a hole.
3. ``content_security_policy`` builds the policy ``theme_overrides/main.html`` puts in a meta tag:
   scripts only from the site itself plus the hashed inline scripts of the theme.

Knows nothing of MkDocs: it takes HTML strings and a Jinja environment.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable

from jinja2 import Environment, TemplateNotFound

SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")

# Elements that run script, load other documents or restyle the whole site. (Validation refuses
# more in lesson bodies; generated pages themselves carry forms, and icons may be inline SVG.)
ACTIVE_TAGS = frozenset("script iframe frame frameset object embed applet portal base meta link style".split())  # noqa: SIM905
URL_ATTRS = frozenset(
    "href src action formaction xlink:href data poster background cite longdesc ping srcset lowsrc dynsrc"  # noqa: SIM905
    " manifest codebase archive icon usemap".split()
)

_START_TAG = re.compile(r"<(?P<tag>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"(?P<name>[^\s\"'>/=]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'>]+)))?")
_ACTIVE_OPEN = re.compile(r"<(?=\s*/?\s*(?:" + "|".join(sorted(ACTIVE_TAGS)) + r")\b)", re.IGNORECASE)
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def link_problem(url: str) -> str | None:
    """Why a link is refused, or None if it is a web, mail or phone link (or a relative page link).

    The link is read as a browser would: character references decoded (``&#106;avascript:``),
    tabs, newlines and control characters dropped, case ignored."""
    for _ in range(3):  # text that was escaped more than once is checked at every layer
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    lowered = re.sub(r"[\s\x00-\x1f\x7f]", "", url).lower()
    if lowered.startswith(SAFE_SCHEMES):
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        return f"links must be https://, http://, mailto: or tel:, not '{lowered.split(':')[0]}:'"
    return None


def _attributes(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for match in _ATTR.finditer(text):
        value = next((match.group(g) for g in ("dq", "sq", "uq") if match.group(g) is not None), None)
        found.append((match.group("name"), value))
    return found


def _tag(name: str, attrs: Iterable[tuple[str, str | None]]) -> str:
    parts = [name]
    for key, value in attrs:
        parts.append(key if value is None else f'{key}="{html.escape(html.unescape(value), quote=True)}"')
    return "<" + " ".join(parts) + ">"


def harden_html(page_html: str, *, course_page: bool) -> tuple[str, list[str]]:
    """The page's HTML with safe external links, and what was removed (only on course pages).

    ``course_page``: the page was generated from course files, so it may not carry script, event
    handlers or unsafe links at all; hand-written pages of the site owner are left as written,
    apart from ``rel`` on external links.
    """
    removed: list[str] = []

    def fix(match: re.Match[str]) -> str:
        tag = match.group("tag").lower()
        attrs = _attributes(match.group("attrs"))
        changed = False
        if course_page:
            kept = []
            for key, value in attrs:
                name = key.lower()
                bad = name.startswith("on") or name == "srcdoc"
                bad = bad or (name in URL_ATTRS and value is not None and link_problem(value) is not None)
                if bad:
                    removed.append(f"{name}= on <{tag}>")
                    changed = True
                else:
                    kept.append((key, value))
            attrs = kept
        if tag == "a" and any(k.lower() == "href" and v and _EXTERNAL.match(v) for k, v in attrs):
            rel = next((v or "" for k, v in attrs if k.lower() == "rel"), "")
            words = rel.split()
            wanted = words + [w for w in ("noopener", "noreferrer") if w not in words]
            if wanted != words:
                attrs = [(k, v) for k, v in attrs if k.lower() != "rel"] + [("rel", " ".join(wanted))]
                changed = True
        return _tag(match.group("tag"), attrs) if changed else match.group(0)

    result = _START_TAG.sub(fix, page_html)
    if course_page:
        active = _ACTIVE_OPEN.findall(result)
        if active:
            removed.append(f"{len(active)} tag(s) of script, embeds or styles, now shown as text")
            result = _ACTIVE_OPEN.sub("&lt;", result)
    return result, removed


def _inline_scripts(env: Environment) -> list[str]:
    """Bodies of the inline scripts in the theme's templates that contain no template code."""
    bodies: list[str] = []
    names = env.list_templates(filter_func=lambda n: n.endswith(".html") and not n.startswith(".icons"))
    for name in names:
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
        except TemplateNotFound:  # pragma: no cover - listed a moment ago
            continue
        for body in _INLINE_SCRIPT.findall(source):
            if "{{" not in body and "{%" not in body and body not in bodies:
                bodies.append(body)
    return bodies


def script_hash(body: str) -> str:
    """The CSP source expression that allows one inline script."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(env: Environment, *, live_reload: bool = False, connect: tuple[str, ...] = ()) -> str:
    """The policy for the meta tag: the site's own files only, inline scripts by hash.

    ``live_reload`` (``mkdocs serve``): the dev server injects an inline script that changes on
    every request, so inline scripts are allowed there instead of hashed. ``connect``: other
    origins the site's scripts may send to (the LRS, when a course opts in to xAPI).
    """
    scripts = "'unsafe-inline'" if live_reload else " ".join(script_hash(b) for b in _inline_scripts(env))
    directives = [
        "default-src 'self'",
        f"script-src 'self' {scripts}".strip(),
        # Stylesheets only from the site; Material needs no inline <style> (measured in Chromium).
        # Style attributes stay allowed: authors may size an image with { style="…" }, and a
        # style attribute cannot run script.
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        # Material's icons are data: URIs in its stylesheet; images from other hosts are refused.
        "img-src 'self' data:",
        "font-src 'self' data:",
        " ".join(["connect-src 'self'", *connect]),
        "worker-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)
