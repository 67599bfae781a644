"""HTML safety after Markdown: safe links, a last line of defence, and the Content-Security-Policy.

Three layers keep author text from running in a learner's browser (see SECURITY.md):

1. ``validate.py`` refuses unsafe raw HTML and links in lesson bodies, with file:line:col.
2. After Markdown, ``rel="noopener noreferrer"`` goes on every link that opens elsewhere, and
   generated course pages go through the allowlist sanitizer (nh3), which drops anything layer 1
   should have refused (script, embeds, event handlers, unsafe links); what it drops is reported,
   so a gap in validation is a warning, not a hole. The Python-Markdown extension
   ``coursegen.mdext`` applies this inside Markdown (so it holds on every engine that runs the
   extension) with the pieces here; ``harden_html`` does the same to a whole page of HTML.
3. ``content_security_policy`` builds the policy ``theme_overrides/main.html`` puts in a meta tag:
   scripts only from the site itself plus the hashed inline scripts of the theme.

Knows nothing of MkDocs: it takes HTML strings and a Jinja environment.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import nh3

from .htmltokens import normalise, tokens

if TYPE_CHECKING:
    from jinja2 import Environment

SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")

# Elements that run script, load other documents or restyle the whole site. (Validation refuses
# more in lesson bodies; generated pages themselves carry forms, and icons may be inline SVG.)
ACTIVE_TAGS = frozenset("script iframe frame frameset object embed applet portal base meta link style".split())  # noqa: SIM905
URL_ATTRS = frozenset(
    "href src action formaction xlink:href data poster background cite longdesc ping srcset lowsrc dynsrc"  # noqa: SIM905
    " manifest codebase archive icon usemap".split()
)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")
_INVISIBLE = dict.fromkeys([*range(0x21), 0x7F])  # what a browser drops or trims from a URL


def _as_browser_reads(url: str) -> str:
    """The URL as a browser sees it: references decoded (also when escaped more than once),
    spaces and control characters removed, backslashes read as slashes, lower case."""
    for _ in range(3):  # text that was escaped more than once is checked at every layer
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    return url.translate(_INVISIBLE).replace("\\", "/").lower()


def link_problem(url: str) -> str | None:
    """Why a link is refused, or None if it is a web, mail or phone link (or a relative page link).

    The link is read as a browser would: character references decoded (``&#106;avascript:``),
    tabs, newlines and control characters dropped, case ignored."""
    lowered = _as_browser_reads(url)
    if lowered.startswith(SAFE_SCHEMES):
        return None
    scheme, colon, _rest = lowered.partition(":")
    if colon and _SCHEME.fullmatch(scheme):
        return f"links must be https://, http://, mailto: or tel:, not '{scheme}:'"
    return None


def remote_host(url: str) -> str | None:
    """The host a URL loads from when it is not this site (``https://h/``, ``//h/``, ``\\\\h\\``,
    ``/\\h``: browsers read a backslash as a slash), else None. An unreadable host counts as ''."""
    lowered = _as_browser_reads(url)
    scheme, colon, rest = lowered.partition(":")
    if colon and _SCHEME.fullmatch(scheme):
        if scheme not in ("http", "https"):
            return None  # mailto:, tel: and unsafe schemes are judged by link_problem
        lowered = rest
    if not lowered.startswith("//") and not colon:
        return None
    try:
        return urlsplit("http:" + ("//" + lowered.lstrip("/") if colon else lowered)).hostname or ""
    except ValueError:
        return ""


def opens_elsewhere(attrs: dict[str, str]) -> bool:
    """A link that leaves the site or opens another window or tab (``target``)."""
    href = attrs.get("href")
    return bool(attrs.get("target")) or (href is not None and remote_host(href) is not None)


# What generated course pages are made of: Markdown with Material's extensions (admonitions,
# details, tabs, tables, footnotes, code highlighting, emoji icons as inline SVG) and the quiz
# forms of the templates. Everything else is dropped by nh3 (Ammonia), which parses as browsers do.
_ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br button caption code col colgroup dd del details dfn div dl dt em
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr i img input ins kbd label
    legend li mark nav ol option output p pre progress q s samp section select small span strong sub summary sup
    table tbody td tfoot th thead time tr u ul var wbr audio video source track picture
    svg path g circle rect line polyline polygon ellipse defs use title desc symbol""".split()  # noqa: SIM905
)
_GLOBAL_ATTRS = frozenset("class id title lang dir hidden role tabindex style".split())  # noqa: SIM905
_TAG_ATTRS = {
    "a": {"href", "rel", "target", "download", "hreflang", "type", "name"},
    "abbr": {"title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding", "align"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "video": {"src", "controls", "preload", "loop", "muted", "poster", "width", "height", "playsinline"},
    "form": {"novalidate", "name", "autocomplete"},
    "input": {
        "type",
        "name",
        "value",
        "checked",
        "disabled",
        "readonly",
        "accept",
        "required",
        "autocomplete",
        "maxlength",
        "minlength",
        "size",
        "placeholder",
        "inputmode",
        "spellcheck",
    },
    "select": {"name", "required", "disabled", "autocomplete"},
    "option": {"value", "selected", "disabled", "label"},
    "button": {"type", "name", "value", "disabled"},
    "label": {"for"},
    "output": {"for", "name"},
    "details": {"open", "name"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "progress": {"value", "max"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "svg": {"xmlns", "viewbox", "width", "height", "fill", "aria-hidden", "focusable", "preserveaspectratio"},
    "path": {"d", "fill", "fill-rule", "clip-rule", "stroke", "stroke-width", "transform"},
    "g": {"fill", "stroke", "transform"},
    "circle": {"cx", "cy", "r", "fill", "stroke"},
    "ellipse": {"cx", "cy", "rx", "ry", "fill", "stroke"},
    "rect": {"x", "y", "width", "height", "rx", "ry", "fill", "stroke"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke"},
    "polygon": {"points", "fill", "stroke"},
    "symbol": {"viewbox"},
}
_CLEANER_OPTIONS = {
    "tags": set(_ALLOWED_TAGS),
    "clean_content_tags": {"script", "style"},
    "attributes": {"*": set(_GLOBAL_ATTRS), **{tag: set(names) for tag, names in _TAG_ATTRS.items()}},
    "generic_attribute_prefixes": {"data-", "aria-"},
    "url_schemes": {"http", "https", "mailto", "tel"},
    "link_rel": None,  # rel goes on links that open elsewhere only (``with_rel``)
    "strip_comments": True,
}


def _unsafe_value(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute hook: drop (None) a style that loads something; keep the rest."""
    if name == "style" and ("url(" in value.lower() or "image-set(" in value.lower() or "@import" in value.lower()):
        return None
    if name in ("srcset", "sizes") or name in URL_ATTRS:
        parts = [p.split()[0] for p in value.split(",") if p.split()] if name == "srcset" else [value]
        if any(link_problem(part) for part in parts):
            return None
    return value


_CLEANER = nh3.Cleaner(attribute_filter=_unsafe_value, **_CLEANER_OPTIONS)  # type: ignore[arg-type]


_REPORTED_TAGS = ACTIVE_TAGS | {"plaintext", "xmp", "textarea", "noscript", "math", "template"}


def unsafe_in_tag(tag: str, attrs: Iterable[tuple[str, str]]) -> list[str]:
    """What the sanitizer will remove from one start tag that validation should have refused
    (an element that runs script or embeds, an event handler, an unsafe link): for warnings."""
    found: list[str] = []
    if tag in _REPORTED_TAGS:
        found.append(f"<{tag}> (script, embeds or styles)")
    for name, value in attrs:
        name = name.lower()
        if name.startswith("on") or name == "srcdoc" or (name in URL_ATTRS and link_problem(value)):
            found.append(f"{name}= on <{tag}>")
    return found


def unsafe_parts(fragment: str) -> list[str]:
    """What the sanitizer will remove from an HTML fragment that validation should have refused,
    read with the HTML5 tokenizer: reported as warnings."""
    found: list[str] = []
    for token in tokens(normalise(fragment)):
        if token.kind == "start":
            found += unsafe_in_tag(token.name, token.attrs)
    return found


def sanitize(fragment: str) -> str:
    """An HTML fragment through the allowlist (nh3): only the markup course pages are made of."""
    return _CLEANER.clean(fragment)


def rel_for(attrs: dict[str, str]) -> str | None:
    """The ``rel`` a link (``a``, ``area``) needs: ``noopener noreferrer`` added when it opens
    elsewhere, other words kept; None when it needs no change."""
    if not opens_elsewhere(attrs):
        return None
    words = attrs.get("rel", "").split()
    wanted = words + [w for w in ("noopener", "noreferrer") if w not in words]
    return None if wanted == words else " ".join(wanted)


def _may_open_elsewhere(page_html: str) -> bool:
    """Whether any link in the HTML could open elsewhere (``opens_elsewhere``): a ``target``
    attribute, or an address ``remote_host`` reads as another host, which needs a colon or two
    slashes once the spaces and control characters browsers drop are gone and backslashes are
    slashes, or a character reference that could stand for one of them. Reading the HTML with the
    tokenizer costs far more than this look; a page's own lesson list (``#`` links) needs neither."""
    squeezed = page_html.translate(_INVISIBLE).replace("\\", "/")
    return ":" in squeezed or "//" in squeezed or "&" in squeezed or "target" in squeezed.lower()


def with_rel(page_html: str) -> tuple[str, bool]:
    """``rel="noopener noreferrer"`` added to every link that opens elsewhere; the rest of the page
    byte for byte as it was (only those tags are rewritten, at the offsets the tokenizer gives)."""
    if ("<a" not in page_html and "<A" not in page_html) or not _may_open_elsewhere(page_html):
        return page_html, False  # no link (<a, <area) to look at, or none can open elsewhere
    text = normalise(page_html)
    parts: list[str] = []
    previous = 0
    for token in tokens(text):
        if token.kind != "start" or token.name not in ("a", "area"):
            continue
        attrs = dict(token.attrs)  # the tokenizer kept the first of duplicate attributes, as browsers do
        rel = rel_for(attrs)
        if rel is None:
            continue
        attrs["rel"] = rel
        rebuilt = "<" + token.name
        for key, value in attrs.items():
            rebuilt += f' {key}="{html.escape(value, quote=True)}"'
        parts += [text[previous : token.start], rebuilt + ">"]
        previous = token.end
    if not parts:
        return page_html, False
    parts.append(text[previous:])
    return "".join(parts), True


def harden_html(page_html: str, *, course_page: bool) -> tuple[str, list[str]]:
    """The page's HTML with safe links, and what was removed (only on course pages).

    ``course_page``: the page was generated from course files, so it goes through the allowlist
    sanitizer (nh3), which parses it as a browser does and keeps only the markup course pages are
    made of; what it drops that validation should have refused is returned, to be reported.
    Hand-written pages of the site owner are left as written, apart from ``rel`` on links that
    open elsewhere.
    """
    removed: list[str] = []
    if course_page:
        removed = unsafe_parts(page_html)
        page_html = sanitize(page_html)
    return with_rel(page_html)[0], removed


def _script_bodies(source: str) -> Iterator[str]:
    """The text of every ``<script>`` without attributes (an inline script), read as HTML."""
    opened: int | None = None
    for token in tokens(source):
        if token.kind == "start" and token.name == "script":
            opened = token.end if not token.attrs else None
        elif token.kind == "end" and token.name == "script" and opened is not None:
            yield source[opened : token.start]
            opened = None


def _html_templates(env: Environment) -> list[str]:
    """Names of the theme's HTML templates, icons apart. Material ships thousands of icons in
    ``.icons``: walking the template folders without entering it is much quicker than listing
    every template and filtering (this runs at every build)."""
    from jinja2 import FileSystemLoader  # here: the check imports this module, and needs no Jinja

    wanted = lambda name: name.endswith(".html") and not name.startswith(".icons")  # noqa: E731
    if not isinstance(env.loader, FileSystemLoader):
        return env.list_templates(filter_func=wanted)
    names: set[str] = set()
    for folder in env.loader.searchpath:
        for here, dirs, files in os.walk(folder, followlinks=env.loader.followlinks):
            if here == folder:
                dirs[:] = [d for d in dirs if d != ".icons"]
            relative = os.path.relpath(here, folder)
            for file in files:
                name = file if relative == "." else f"{relative}/{file}".replace(os.sep, "/")
                if wanted(name):
                    names.add(name)
    return sorted(names)


def _inline_scripts(env: Environment) -> list[str]:
    """Bodies of the inline scripts in the theme's templates that contain no template code."""
    from jinja2 import TemplateNotFound

    bodies: list[str] = []
    for name in _html_templates(env):
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
        except TemplateNotFound:  # pragma: no cover - listed a moment ago
            continue
        if "<script>" not in source:
            continue  # most templates have no inline script: no need to read them
        for body in _script_bodies(normalise(source)):
            if "{{" not in body and "{%" not in body and body not in bodies:
                bodies.append(body)
    return bodies


def script_hash(body: str) -> str:
    """The CSP source expression that allows one inline script."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(
    env: Environment, *, live_reload: bool = False, connect: tuple[str, ...] = (), media_hosts: Iterable[str] = ()
) -> str:
    """The policy for the meta tag: the site's own files only, inline scripts by hash.

    ``live_reload`` (``mkdocs serve``): the dev server injects an inline script that changes on
    every request, so inline scripts are allowed there instead of hashed. ``connect``: other
    origins the site's scripts may send to (the LRS, when a course opts in to xAPI).
    """
    media = "".join(f" https://{host}" for host in media_hosts)  # course.yml's remote_hosts
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
        f"img-src 'self' data:{media}",
        *([f"media-src 'self'{media}"] if media else []),
        "font-src 'self' data:",
        " ".join(["connect-src 'self'", *connect]),
        "worker-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)
