"""Material's navigation, rendered with less work per link on big sites.

Every page of a site carries the whole navigation, so a flat catalogue of n pages renders n² nav
links, and Material renders each one through two macros and a dozen attribute lookups. A plain
link (a page that is not the current one, with no icon, status, subtitle or typeset title, and
not a section's index page) needs none of them: ``faster_nav`` lets Material's own loop write
such a link at once, with the same elements, attributes and text (only the whitespace between
tags differs). Everything else still goes through Material's macros.

The change is made to the text of Material's own ``partials/nav-item.html``, in memory: when a
theme's ``custom_dir`` overrides that partial, or another Material version wrote the loop
differently, the navigation is left exactly as the theme has it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader, Environment, TemplateNotFound
from mkdocs.structure.pages import Page

NAV_ITEM = "partials/nav-item.html"

# The loop over a section's children in Material 9.7's partials/nav-item.html, byte for byte.
MATERIAL_LOOP = """\
              {% if not index or item != index %}
                {{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}
              {% endif %}"""

# The same loop with a plain link written at once (``plain_link``).
FAST_LOOP = """\
              {% if item is coursegen_plain_link and item is not sameas index %}
                <li class="md-nav__item"><a href="{{ item.url | url }}" class="md-nav__link">
                  <span class="md-ellipsis">{{ item.title }}</span></a></li>
              {% elif not index or item != index %}
                {{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}
              {% endif %}"""


def plain_link(item: object) -> bool:
    """A nav item Material's ``render`` macro would write as a bare link: a page of MkDocs' own
    class (not a blog view with ``pages``, nor a section or an outside link), not the current one
    (``active``), with no front matter (icon, subtitle, status, encrypted) and no typeset title."""
    return (
        type(item) is Page
        and not item.active
        and not item.meta
        and not getattr(item, "typeset", None)
        and not item.children
    )


def _material_templates() -> Path:
    return Path(str(resources.files("material") / "templates"))


def faster_nav(env: Environment) -> bool:
    """Let ``env`` (a MkDocs theme environment) render plain nav links at once; False when its
    ``partials/nav-item.html`` is not Material's own, as this module knows it."""
    if env.loader is None:
        return False
    try:
        source, filename, _ = env.loader.get_source(env, NAV_ITEM)
    except TemplateNotFound:
        return False
    if filename is None or Path(filename).resolve() != (_material_templates() / NAV_ITEM).resolve():
        return False  # a custom_dir's own partial, or already ours
    if source.count(MATERIAL_LOOP) != 1:
        return False
    env.tests["coursegen_plain_link"] = plain_link
    faster = DictLoader({NAV_ITEM: source.replace(MATERIAL_LOOP, FAST_LOOP)})
    env.loader = ChoiceLoader([faster, env.loader])
    return True
