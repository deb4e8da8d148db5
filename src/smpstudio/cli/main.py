"""The ``smp`` command group and the one place where errors become exit statuses.

Exit status: 0 success; 2 bad input or usage (one line on stderr naming the field, the value
and what is allowed); 1 an internal fault.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

import click

from smpstudio import __version__
from smpstudio.errors import InputError, SmpError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smp")
def cli() -> None:
    """SMP Studio: plan, preview and run scalp micropigmentation treatments."""


def _register() -> None:
    from smpstudio.cli.case_cmds import assess_command, demo_command, plan_command

    for command in (demo_command, assess_command, plan_command):
        cli.add_command(command)
    for module_name, attr in _OPTIONAL_COMMANDS:
        module = __import__(module_name, fromlist=[attr])
        cli.add_command(getattr(module, attr))


# Commands that live in their own modules (registered here, in one place).
_OPTIONAL_COMMANDS: list[tuple[str, str]] = [
    ("smpstudio.cli.optics_cmd", "optics_group"),
    ("smpstudio.cli.appearance_cmd", "appearance_command"),
    ("smpstudio.cli.render_cmds", "render_command"),
    ("smpstudio.cli.render_cmds", "render_photo_command"),
    ("smpstudio.cli.table_cmds", "table_group"),
]


def run(argv: Sequence[str] | None = None) -> int:
    """Run ``smp`` with ``argv``; return the exit status instead of exiting."""
    warnings.filterwarnings("ignore", message='.*"Matplotlib" related API features')
    _register()
    try:
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT if exc.exit_code == 2 else int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("smp: aborted", err=True)
        return EXIT_INTERNAL
    except InputError as exc:
        click.echo(f"smp: error: {exc}", err=True)
        return EXIT_INPUT
    except SmpError as exc:
        click.echo(f"smp: error: {exc}", err=True)
        return EXIT_INTERNAL
    except Exception as exc:  # an internal fault: one line, no traceback for the user
        click.echo(f"smp: internal error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_INTERNAL
    return int(result) if isinstance(result, int) else EXIT_OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
