"""HTML pages built from templates (``ui/templates``) that escape every value they show.

Whatever a user or a log supplied (names, descriptions, scenario files, activities) is
shown, never run: every ``{{ value }}`` of a template is escaped on its way out, as
``html.escape`` spells it, so a page reads byte for byte as it did when it was built by hand;
only what is marked as markup (``Markup``: a chart's HTML, a sentence with bold words) goes
in as it is. The line breaks and indentation of a ``.html.j2`` template are layout only and
dropped as it is read: the pages have no whitespace between their tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

LAYOUT = re.compile(r"\n\s*")  # a template's line break and the indentation after it


def escaped(value: object) -> Markup:
    """A value as page text (None: nothing); markup as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


class _Loader(PackageLoader):
    """Templates of ``ui/templates``, a ``.html.j2`` one with its layout dropped."""

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return (LAYOUT.sub("", source) if template.endswith(".html.j2") else source,
                filename, uptodate)


ENVIRONMENT = Environment(loader=_Loader("ui", "templates"), autoescape=True,
                          finalize=escaped, undefined=StrictUndefined,
                          keep_trailing_newline=True)  # a style sheet's last line break


def render(template: str, **values: object) -> Markup:
    """The template filled with ``values``: markup to put in a page as it is."""
    return Markup(ENVIRONMENT.get_template(template).render(**values))


def sentence(text: str, **values: object) -> Markup:
    """A sentence written as markup (bold words, quotes as they are) filled with ``values``,
    which are escaped."""
    return Markup(text).format(**{k: escaped(v) for k, v in values.items()})


def phrase(words: Callable[[str], str]) -> Callable[..., Markup]:
    """``sentence`` of a page's ``words`` (its text in the page's language)."""
    def marked(text: str, **values: object) -> Markup:
        return sentence(words(text), **values)
    return marked
