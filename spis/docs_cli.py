"""Generate docs/cli.md from the help text of the project's own commands (the help text is the reference).

`make docs` writes it; tests/test_docs.py fails when the committed file differs.
"""

from __future__ import annotations

import io
import os
import re
from contextlib import redirect_stdout


def project_commands() -> list[tuple[str, str]]:
    from django.core.management import get_commands

    return sorted((name, app) for name, app in get_commands().items() if app.startswith("spis."))


def render() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")
    os.environ["COLUMNS"] = "100"
    import django

    django.setup()
    from django.core.management import load_command_class

    parts = [
        "# Command-line reference\n",
        "Generated from the commands' own help by `make docs` (`python -m spis.docs_cli`); do not edit by hand.",
        "Every command also accepts Django's common options (`--settings`, `-v`, `--traceback`, …).\n",
    ]
    for name, app in project_commands():
        command = load_command_class(app, name)
        parser = command.create_parser("spis", name)
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            parser.print_help()
        text = _strip_common(buffer.getvalue())
        parts.append(f"## `spis {name}`\n\n```\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


_COMMON = re.compile(
    r"\n  (--version|-v \{0,1,2,3\}|--settings SETTINGS|--pythonpath PYTHONPATH|--traceback|--no-color"
    r"|--force-color|--skip-checks).*?(?=\n  -|\Z)",
    re.S,
)


def _strip_common(text: str) -> str:
    return _COMMON.sub("", text)


if __name__ == "__main__":
    print(render(), end="")
