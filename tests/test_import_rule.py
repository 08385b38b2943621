"""The import rule of docs/architecture.md, checked on every `make test`: an app imports only the apps below it
(common < treaties < meetings < correspondence < registration < obligations < demo < ccm_portal), and no two
modules of one app import each other, directly or through others. The contracts are in pyproject.toml."""

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_apps_import_only_downwards_and_no_module_cycles(capsys):
    status = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    # import-linter names each broken contract and the import that breaks it.
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out
