"""Staff-edited wording runs in Jinja's immutable sandbox.

The context holds only strings, numbers, dates, lists and dicts built for the
note (see rendering.note_context): no model, manager or setting is reachable,
and the sandbox refuses attribute tricks (``__class__``, ``mro`` …). Unknown
placeholders are errors, reported with their line at preview time.
"""

import functools
import re
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from . import language as lang


@dataclass
class TemplateProblem(Exception):
    message: str
    line: int | None = None
    field: str = "body"

    def __str__(self) -> str:
        where = f"{self.field}, line {self.line}" if self.line else self.field
        return f"{where}: {self.message}"


class _ValuesOnlySandbox(ImmutableSandboxedEnvironment):
    """Wording reads values, never methods: no ``.format``, ``.upper()``, ``.items`` …"""

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return not callable(value) and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        return None  # str.format is a method like any other: refused above


def _environment() -> ImmutableSandboxedEnvironment:
    env = _ValuesOnlySandbox(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    env.filters["longdate"] = lambda value, language="en": lang.long_date(value, language) if value else ""
    env.globals.clear()  # no range(), lipsum(), dict(), cycler() …
    return env


ENVIRONMENT = _environment()


def _line_of(exc: BaseException, source: str) -> int | None:
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    traceback = exc.__traceback__
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


@functools.lru_cache(maxsize=256)
def _compiled(source: str):
    # A dispatch renders the same wording for every addressee: compile it once per process.
    return ENVIRONMENT.from_string(source)


def render(source: str, context: dict, *, field: str = "body") -> Markup:
    """Render staff wording; every value from the context is HTML-escaped."""
    try:
        template = _compiled(source)
        return Markup(template.render(context))
    except SecurityError as exc:
        raise TemplateProblem(f"Not allowed in a template: {exc}", _line_of(exc, source), field) from None
    except TemplateError as exc:
        raise TemplateProblem(str(exc.message or exc), _line_of(exc, source), field) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateProblem(str(exc), _line_of(exc, source), field) from None


def check(source: str, context: dict, *, field: str = "body") -> None:
    render(source, context, field=field)


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(rendered: Markup) -> list[Markup]:
    """Split rendered wording into paragraphs at blank lines; single newlines become line breaks."""
    parts = [p.strip() for p in PARAGRAPH_BREAK.split(str(rendered)) if p.strip()]
    return [Markup(p.replace("\n", "<br>")) for p in parts]


def plain_text(parts: list[Markup]) -> str:
    """Paragraphs as e-mail text: tags removed, entities decoded, blank lines between."""
    return "\n\n".join("\n".join(Markup(line).striptags() for line in p.split("<br>")) for p in parts)
