"""Staff-edited wording runs in Jinja's immutable sandbox.

The context holds only strings, numbers, dates, lists and dicts built for the
note (see rendering.note_context): no model, manager or setting is reachable,
and the sandbox refuses attribute tricks (``__class__``, ``mro`` …). Unknown
placeholders are errors, reported with their line at preview time.

A subject is text, never markup: the words staff type are escaped like the values
they insert, so ``<script>`` in a subject reads as those characters. A body is rich
text (``render_rich``): the words typed are Markdown, cleaned by richtext to a few
tags, while each value is escaped for Markdown, so a value is never formatting.
"""

import functools
import re
import time
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.ext import Extension
from jinja2.lexer import Token
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from . import language as lang
from . import richtext


@dataclass
class TemplateProblem(Exception):
    message: str
    line: int | None = None
    field: str = "body"

    def __str__(self) -> str:
        # Shown to staff (form errors, messages): the field's label and the words in their language.
        field = pgettext("correspondence field", self.field)
        if self.line:
            return gettext("%(field)s, line %(line)s: %(message)s") % {
                "field": field,
                "line": self.line,
                "message": self.message,
            }
        return gettext("%(field)s: %(message)s") % {"field": field, "message": self.message}


# Bounds on what wording may cost. A long letter renders to about 10,000 characters in a few
# milliseconds; without bounds `{{ 9 ** (9 ** 8) }}` took 40 s of CPU and `{{ "x" * 400000000 }}`
# 500 MB, in a web request or a worker rendering 250 copies.
MAX_SIZE = 200_000  # characters of output, and of any string or list an expression builds
MAX_SECONDS = 2.0
MAX_INT_BITS = 4_096  # integers up to about 1,200 digits
NOT_IN_WORDING = {
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
}


def _too_large(size: int) -> SecurityError:
    return SecurityError(
        gettext("the wording would build more than %(limit)s characters (%(size)s)")
        % {"limit": _number(MAX_SIZE), "size": _number(size)}
    )


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _too_large_number() -> SecurityError:
    return SecurityError(gettext("the wording would compute a number too large to write out"))


def _sized(value) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _check_size(value) -> None:
    if _sized(value) > MAX_SIZE:
        raise _too_large(_sized(value))
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _too_large_number()


class _ValuesOnlySandbox(ImmutableSandboxedEnvironment):
    """Wording reads values, never methods: no ``.format``, ``.upper()``, ``.items`` …

    And its arithmetic is bounded: each ``**``, ``*`` and ``+`` is checked before it is computed.
    """

    intercepted_binops = frozenset({"**", "*", "+"})

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return not callable(value) and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        return None  # str.format is a method like any other: refused above

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if right * max(abs(left).bit_length() - 1, 1) > MAX_INT_BITS:
                raise _too_large_number()
        elif operator == "*":
            for text, times in ((left, right), (right, left)):
                if _sized(text) and isinstance(times, int) and _sized(text) * times > MAX_SIZE:
                    raise _too_large(_sized(text) * times)
            both_ints = isinstance(left, int) and isinstance(right, int)
            if both_ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _too_large_number()
        elif operator == "+" and _sized(left) + _sized(right) > MAX_SIZE:
            raise _too_large(_sized(left) + _sized(right))
        result = super().call_binop(context, operator, left, right)
        _check_size(result)
        return result


def _bounded_filter(function):
    """A filter that refuses a width or count beyond the bounds before it runs, and an outsized result after."""

    @functools.wraps(function)  # keeps Jinja's pass_context / pass_eval_context marks
    def bounded(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
                raise SecurityError(
                    gettext("a filter's argument may not exceed %(limit)s") % {"limit": _number(MAX_SIZE)}
                )
        result = function(*args, **kwargs)
        _check_size(result)
        return result

    return bounded


def _check_statements(template: nodes.Template) -> None:
    """Refuse, with its line, what lets a few lines of wording loop or grow without bound."""
    for node_type, name in NOT_IN_WORDING.items():
        found = template.find(node_type)
        if found is not None:
            raise TemplateSyntaxError(gettext("%(tag)s is not available in wording") % {"tag": name}, found.lineno)
    for loop in template.find_all(nodes.For):
        inner = next(loop.find_all(nodes.For), None)
        if inner is not None:
            raise TemplateSyntaxError(gettext("a loop inside a loop is not available in wording"), inner.lineno)


BLANK_LINE_END = re.compile(r"(?:^|\n)[ \t]*$")
LINE_START = re.compile(r"^[ \t]*(?:\r?\n|$)")


class _WordingAsTyped(Extension):
    """The wording reads as staff see it in the editor, and its text is text.

    Line breaks: a blank line is a paragraph break and a line break is a line break, also
    next to ``{% if %}`` or ``{% endif %}`` written inside a line (Jinja's ``trim_blocks``
    would swallow the break after them and glue a paragraph to the next). A line holding
    nothing but block tags disappears, with its break.

    Text: what is typed around the placeholders is escaped when the wording is compiled,
    as autoescaping does for the values, so a tag typed in a body never reaches a page as markup.
    """

    def filter_stream(self, stream):
        tokens = list(stream)
        for start, end in _tag_runs(tokens):
            before = tokens[start - 1] if start else None
            after = tokens[end + 1] if end + 1 < len(tokens) else None
            alone = (before is None or (before.type == "data" and BLANK_LINE_END.search(before.value))) and (
                after is None or (after.type == "data" and LINE_START.match(after.value))
            )
            if alone:
                if before is not None:
                    tokens[start - 1] = Token(before.lineno, "data", before.value.rstrip(" \t"))
                if after is not None:
                    tokens[end + 1] = Token(after.lineno, "data", LINE_START.sub("", after.value, count=1))
        # Rich wording keeps its text for Markdown, which richtext then cleans.
        rich = getattr(self.environment, "rich", False)
        for token in tokens:
            yield Token(token.lineno, "data", str(escape(token.value))) if token.type == "data" and not rich else token


def _tag_runs(tokens) -> list[tuple[int, int]]:
    """(first, last) token index of each run of block tags written one after another."""
    runs, start = [], None
    for index, token in enumerate(tokens):
        if token.type == "block_begin" and start is None:
            start = index
        elif token.type == "block_end":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is None or following.type != "block_begin":
                runs.append((start, index))
                start = None
    return runs


def _environment(*, rich: bool = False) -> ImmutableSandboxedEnvironment:
    if rich:
        # Values are escaped for Markdown instead of HTML: the HTML comes later, from richtext.
        env = _ValuesOnlySandbox(
            autoescape=False, finalize=richtext.escape_value, undefined=StrictUndefined, extensions=[_WordingAsTyped]
        )
    else:
        env = _ValuesOnlySandbox(autoescape=True, undefined=StrictUndefined, extensions=[_WordingAsTyped])
    env.rich = rich
    env.filters["longdate"] = lambda value, language="en": lang.long_date(value, language) if value else ""
    env.filters = {name: _bounded_filter(function) for name, function in env.filters.items()}
    env.globals.clear()  # no range(), lipsum(), dict(), cycler() …
    return env


ENVIRONMENT = _environment()
RICH_ENVIRONMENT = _environment(rich=True)


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
def _compiled(source: str, rich: bool = False):
    # A dispatch renders the same wording for every addressee: compile it once per process.
    environment = RICH_ENVIRONMENT if rich else ENVIRONMENT
    _check_statements(environment.parse(source))
    return environment.from_string(source)


def _generate(template, context: dict) -> str:
    """Render piece by piece, stopping at MAX_SIZE characters or MAX_SECONDS."""
    deadline = time.monotonic() + MAX_SECONDS
    parts, size = [], 0
    for part in template.generate(context):
        size += len(part)
        if size > MAX_SIZE:
            raise _too_large(size)
        if time.monotonic() > deadline:
            raise SecurityError(
                gettext("the wording took more than %(seconds)s s to render") % {"seconds": f"{MAX_SECONDS:g}"}
            )
        parts.append(part)
    return "".join(parts)


def render(source: str, context: dict, *, field: str = "body") -> Markup:
    """Render staff wording as text; every value from the context is HTML-escaped."""
    return Markup(_render(source, context, field=field, rich=False))


def render_rich(source: str, context: dict, *, field: str = "body") -> str:
    """Render staff wording as Markdown source with every value escaped; richtext makes it HTML."""
    return _render(source, context, field=field, rich=True)


def _render(source: str, context: dict, *, field: str, rich: bool) -> str:
    try:
        template = _compiled(source, rich)
        return _generate(template, context)
    except SecurityError as exc:
        message = gettext("Not allowed in a template: %(reason)s") % {"reason": exc}
        raise TemplateProblem(message, _line_of(exc, source), field) from None
    except TemplateError as exc:
        raise TemplateProblem(str(exc.message or exc), _line_of(exc, source), field) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateProblem(str(exc), _line_of(exc, source), field) from None


def check(source: str, context: dict, *, field: str = "body") -> None:
    _render(source, context, field=field, rich=field != "subject")


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(rendered: Markup) -> list[Markup]:
    """Split rendered wording into paragraphs at blank lines; single newlines become line breaks."""
    parts = [p.strip() for p in PARAGRAPH_BREAK.split(str(rendered)) if p.strip()]
    return [Markup(p.replace("\n", "<br>")) for p in parts]


def plain_text(parts: list[Markup]) -> str:
    """Paragraphs as e-mail text: tags removed, entities decoded, blank lines between."""
    return "\n\n".join("\n".join(Markup(line).striptags() for line in p.split("<br>")) for p in parts)
