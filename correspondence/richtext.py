"""Rich text in notes and templates: a small Markdown dialect, cleaned to a fixed set of tags.

What staff may write (README, “Writing rich text in notes”): paragraphs (a blank line), line
breaks (a line break), **bold**, *italics*, <sup>th</sup> or ^th^ for superscript, bullet
(``- ``) and numbered (``1. ``) lists, links (``<https://…>`` or ``[text](https://…)``) and
centred blocks between ``::: centre`` and ``:::``. Whatever else is typed, raw HTML included,
goes through nh3 and leaves only those tags: no script, style, image, iframe, event attribute or
style attribute reaches the PDF, the e-mail or the preview, and nothing in a note can make
WeasyPrint fetch a URL (links are not fetched; images are removed).

Placeholder values are text, not wording: the sandbox passes each through ``escape_value``
so that a State called “*Ruritania*” stays in roman type with its asterisks.
"""

import html
import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "sup", "ul", "ol", "li", "a", "div"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_CLASSES = {"div": {"centre"}}
# Removed with their content, not only their tags: their text is code or styling, never wording.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "title", "svg", "math"}
URL_SCHEMES = {"http", "https", "mailto"}

MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
CENTRE_BLOCK = re.compile(r"^:::[ \t]*(?:centre|center)[ \t]*\n(?P<inner>.*?)\n:::[ \t]*$", re.M | re.S | re.I)
# ^th^ as in Pandoc: no space inside, so “2^10 and 3^2” with spaces is left alone.
SUPERSCRIPT = re.compile(r"(?<!\\)\^(?P<text>[^\s^\\]{1,20})\^")


def escape_value(value) -> str:
    """A placeholder's value as Markdown that reads as the value itself: every punctuation mark escaped."""
    text = "" if value is None else str(value)
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _superscript_rule(state, silent: bool) -> bool:
    if state.src[state.pos] != "^":
        return False
    match = SUPERSCRIPT.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        state.push("sup_open", "sup", 1).markup = "^"
        state.push("text", "", 0).content = match["text"]
        state.push("sup_close", "sup", -1).markup = "^"
    state.pos = match.end()
    return True


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": True, "linkify": False, "typographer": False})
    # Headings, code, quotes and rules are not part of a diplomatic note: typed, they stay text. Images are
    # parsed only so that nh3 removes them whole, address included.
    md.disable(["heading", "lheading", "code", "fence", "blockquote", "hr", "backticks"])
    md.inline.ruler.before("emphasis", "superscript", _superscript_rule)
    return md


MARKDOWN = _markdown()


def _keep_url(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        return value if scheme in URL_SCHEMES else None
    return value


def clean(fragment: str) -> Markup:
    """HTML reduced to the allowed tags and attributes."""
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_keep_url,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return Markup(cleaned.strip())


def to_html(source: str) -> Markup:
    """Markdown wording (placeholders already filled and escaped) as clean HTML."""
    parts, last = [], 0
    for match in CENTRE_BLOCK.finditer(source):
        parts.append(MARKDOWN.render(source[last : match.start()]))
        parts.append(f'<div class="centre">{MARKDOWN.render(match["inner"])}</div>')
        last = match.end()
    parts.append(MARKDOWN.render(source[last:]))
    return clean("".join(parts))


def inline_html(source: str) -> Markup:
    """One line (a letterhead or footer line) with its bold, italics and superscripts, without a paragraph."""
    return clean(MARKDOWN.renderInline(source))


PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s", re.M)


def blocks(source: str) -> list[str]:
    """The wording's top-level blocks, split at blank lines; a centred block or a list stays whole."""
    chunks = [c for c in PARAGRAPH_BREAK.split(source.strip()) if c.strip()] if source.strip() else []
    merged: list[str] = []
    for chunk in chunks:
        open_centre = merged and merged[-1].lstrip().startswith(":::") and not merged[-1].rstrip().endswith("\n:::")
        if merged and (open_centre or (LIST_ITEM.match(chunk) and chunk[:1].isspace())):
            merged[-1] += "\n\n" + chunk
        else:
            merged.append(chunk)
    return merged


class _TextWriter(HTMLParser):
    """Clean HTML as plain text for the e-mail: paragraphs apart, lists with their marks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # per open list: [ordered, next number]

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            start = int(dict(attrs).get("start") or 1) if tag == "ol" else 0
            self.lists.append([tag == "ol", start])
            self._newline()
        elif tag == "li":
            self._newline()
            ordered = self.lists and self.lists[-1][0]
            mark = f"{self.lists[-1][1]}." if ordered else "-"
            if ordered:
                self.lists[-1][1] += 1
            self.out.append("  " * max(len(self.lists) - 1, 0) + mark + " ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "sup":
            pass
        elif tag in ("p", "div"):
            self._paragraph()

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.lists.pop()
            if self.lists:
                self._newline()  # a nested list ends inside its item
            else:
                self._paragraph()
        elif tag in ("p", "div"):
            self._paragraph()

    def handle_data(self, data):
        # markdown-it puts a line break after each tag: layout of the HTML, not of the text.
        if self.out and self.out[-1].endswith("\n"):
            data = data.lstrip("\n")
        if data.strip() or not self.lists:
            self.out.append(data)

    def _newline(self):
        if self.out and not "".join(self.out[-2:]).endswith("\n"):
            self.out.append("\n")

    def _paragraph(self):
        if self.out:
            self.out.append("\n\n")


def to_text(fragment: str) -> str:
    writer = _TextWriter()
    writer.feed(str(fragment))
    writer.close()
    text = re.sub(r"[ \t]*\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", "".join(writer.out))
    return html.unescape(text).strip()
