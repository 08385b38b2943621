"""The seed letters (docs/seeds) as words, to compare with the PDFs the portal renders of them."""

import re
import unicodedata
from pathlib import Path

# In the repository, so that a fresh clone (CI, a newcomer) has them.
SEEDS_DIR = Path(__file__).resolve().parents[2] / "docs" / "seeds"

MARKUP = [
    (re.compile(r"\[([^\]]+)\]\((?:mailto:|https?://)[^)]+\)"), r"\1"),  # [text](url) reads as its text
    (re.compile(r"</?sup>"), ""),
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),
    (re.compile(r"\*\*|^#+ ", re.M), ""),
]


def seed_text(number: str) -> str:
    """The letter of seed ``number`` (000–004) as written, without its Markdown marks; 001 without its annexes."""
    path = next(SEEDS_DIR.glob(f"{number}_*.txt"))
    text = path.read_text()
    if number == "001":
        text = text.split("## DRAFT NON-PAPER")[0]
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    return text


def words(text: str) -> list[str]:
    """Lower-case words, punctuation and line breaks ignored; a word broken by a hyphen at a line's end is
    two words either way (URLs in seed 004)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2066-\u2069\u00ad]", "", text)
    return re.findall(r"\w+", text)


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """The expected words not found, in order, in ``actual`` (a longest-common-subsequence walk would be
    kinder; a greedy one is strict enough: a word found too late makes the following ones go missing)."""
    missing, position = [], 0
    for word in expected:
        try:
            position = actual.index(word, position) + 1
        except ValueError:
            missing.append(word)
    return missing
