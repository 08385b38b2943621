"""Every string the portal shows is translated into the five other UN languages (issue 14).

Two checks. The committed catalogues have no empty or fuzzy entry. And a fresh extraction from the source
as it is now finds nothing those catalogues miss: the source tree (Python, templates, catalogues) is copied
into a temporary folder, ``makemessages`` runs there from the root, which writes each file's strings into
its nearest ``locale`` folder (templates/ into the root ``locale/``), and every catalogue folder is read
back. A string added to a template or a model without its translation fails here, named with its file.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "es", "ar", "ru", "zh_Hans"]
# Not the portal's source: the virtualenv, runtime files, tools' caches and CI output.
SKIP_DIRS = {".venv", "venv", "var", ".git", "node_modules", "__pycache__", "test-artifacts", ".pytest_cache", "media"}
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".po"}

needs_xgettext = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext, msgmerge) is not installed: makemessages cannot extract the strings",
)


def _catalogue_files(root: Path) -> list[Path]:
    """Every django.po of every catalogue folder under ``root``, whatever app it belongs to."""
    return sorted(
        path
        for path in root.rglob("locale/*/LC_MESSAGES/django.po")
        if not SKIP_DIRS.intersection(path.relative_to(root).parts)
    )


def _problems(po_file: Path, root: Path) -> list[str]:
    """One line per entry that has no translation (any plural form empty) or is marked fuzzy."""
    with po_file.open("rb") as f:
        catalogue = read_po(f, abort_invalid=False)
    where = po_file.relative_to(root)
    found = []
    if catalogue.fuzzy:
        found.append(f"{where}: the header is marked fuzzy (msgfmt then ignores its Plural-Forms)")
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        context = f" [{message.context}]" if message.context else ""
        if message.fuzzy:
            found.append(f"{where}: fuzzy: {msgid!r}{context}")
        elif not all(strings) or len(strings) < (catalogue.num_plurals if isinstance(message.id, tuple) else 1):
            found.append(f"{where}: untranslated: {msgid!r}{context}")
    return found


def _copy_source(to: Path) -> None:
    for path in BASE_DIR.rglob("*"):
        relative = path.relative_to(BASE_DIR)
        if SKIP_DIRS.intersection(relative.parts) or not path.is_file() or path.suffix not in SOURCE_SUFFIXES:
            continue
        target = to / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    # Catalogue folders that have no language yet (a .gitkeep) still receive their strings.
    for keep in BASE_DIR.rglob("locale/.gitkeep"):
        if not SKIP_DIRS.intersection(keep.relative_to(BASE_DIR).parts):
            (to / keep.relative_to(BASE_DIR)).parent.mkdir(parents=True, exist_ok=True)


def test_committed_catalogues_are_complete():
    files = _catalogue_files(BASE_DIR)
    assert files, "no catalogue found"
    problems = [line for po_file in files for line in _problems(po_file, BASE_DIR)]
    assert not problems, f"{len(problems)} entries to translate:\n" + "\n".join(problems)


@needs_xgettext
def test_every_string_in_the_source_is_translated(tmp_path):
    root = tmp_path / "portal"
    _copy_source(root)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--verbosity=0"]
    command += [f"--locale={code}" for code in LANGUAGES]
    command += [f"--ignore={name}/*" for name in sorted(SKIP_DIRS)]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    files = _catalogue_files(root)
    # Every catalogue folder of the source, and every language in it.
    folders = {path.parent.parent.parent for path in files}
    for folder in folders:
        for code in LANGUAGES:
            assert (folder / code / "LC_MESSAGES" / "django.po").exists(), f"{folder.relative_to(root)}: no {code}"
    problems = [line for po_file in files for line in _problems(po_file, root)]
    assert not problems, f"{len(problems)} strings without a translation:\n" + "\n".join(problems)
