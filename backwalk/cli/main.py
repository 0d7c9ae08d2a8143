"""`backwalk`: argument parsing and dispatch. Handlers live in their own modules, imported lazily
so that `backwalk assess` never pays for the diary, the terminal UI or the web stack."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence

from backwalk import i18n
from backwalk import settings as bw_settings
from backwalk.cli.env import Environment
from backwalk.errors import BackwalkError, printable
from backwalk.exitcodes import ExitCode
from backwalk.i18n import N_
from backwalk.i18n import gettext as _

PROG = "backwalk"
DESCRIPTION = N_(
    "A self-care coach for back spasms: screens for warning signs, decides whether to walk "
    "gently or rest first, guides the walk and keeps a diary. It does not replace a clinician."
)


def _version() -> str:
    from backwalk import __version__

    return f"{PROG} {__version__}"


LANG_HELP = N_("the language to answer in: en (English) or es (Spanish); overrides BACKWALK_LANG")
DB_HELP = N_(
    "diary database as an SQLAlchemy URL (overrides BACKWALK_DB; "
    "default: a SQLite file in your data folder)"
)


def _db_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's unset --db must not overwrite one given before the subcommand
    parent.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)
    return parent


def _lang_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=LANG_HELP)
    return parent


JSON_HELP = {
    "answers": N_("read one answers object on stdin, print one result (the default)"),
    "check-in": N_("read one check-in object on stdin, print one result (the default)"),
}
JSONL_HELP = {
    "answers": N_("read one answers object per line, print one result per line"),
    "check-in": N_("read one check-in object per line, print one result per line"),
}


def _json_modes(p: argparse.ArgumentParser, what: str) -> None:
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--json",
        dest="mode",
        action="store_const",
        const="json",
        help=JSON_HELP[what],
    )
    mode.add_argument(
        "--jsonl",
        dest="mode",
        action="store_const",
        const="jsonl",
        help=JSONL_HELP[what],
    )
    p.set_defaults(mode="json")


class _Commands:
    """Adds subcommands: each names its handler as "module:function", imported only when run."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
        self.db = _db_parent()
        self.lang = _lang_parent()  # every command takes --lang, before or after its name

    def add(
        self, name: str, handler: str, help: str, diary: bool = False
    ) -> argparse.ArgumentParser:
        parents = [self.db, self.lang] if diary else [self.lang]
        p = self._sub.add_parser(name, help=help, description=help, parents=parents)
        p.set_defaults(handler=handler)
        return p


def _help_language(argv: Sequence[str] | None) -> str:
    """The language of --help and of argparse's errors: the one this run asks for, found before
    the parser is built (its words are made with it); a language backwalk does not speak is
    reported after parsing, so here it falls back to the default."""
    words = list(sys.argv[1:] if argv is None else argv)
    asked = None
    for i, word in enumerate(words):
        if word == "--lang" and i + 1 < len(words):
            asked = words[i + 1]
        elif word.startswith("--lang="):
            asked = word.split("=", 1)[1]
    try:
        return bw_settings.language(asked)
    except BackwalkError:
        return i18n.DEFAULT


def build_parser() -> argparse.ArgumentParser:
    """The command line in the active language: the help texts are marked N_ where they are
    written and translated here, when the parser is built; argparse's own words ("usage:",
    "show this help message and exit") go through backwalk's catalogue too."""
    argparse._ = _  # type: ignore[attr-defined]  # argparse looks these up when it speaks
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    parser = _build_parser()
    if i18n.active() != i18n.DEFAULT:
        _translate(parser)
    return parser


def _translate(parser: argparse.ArgumentParser) -> None:
    """Every help text and description of a parser and its commands, in the active language."""
    if parser.description:
        parser.description = _(parser.description)
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            action.help = _(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = _(choice.help) if choice.help else choice.help
            for sub in dict.fromkeys(action.choices.values()):
                _translate(sub)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument("--db", metavar="URL", help=DB_HELP)  # also accepted after the command
    parser.add_argument("--lang", metavar="LANG", help=LANG_HELP)
    commands = _Commands(parser)
    _add_check_and_walk(commands)
    _add_diary_commands(commands)
    _add_contract_commands(commands)
    p = commands.add(
        "learn",
        "backwalk.cli.learn:run",
        N_("why gentle walking helps, how to do each measure, when to get help"),
    )
    p.add_argument(
        "topic", nargs="?", help=N_("show one topic only (e.g. knee_to_chest, red_flags)")
    )
    p = commands.add("serve", "backwalk.cli.serve:run", N_("start the web app"), diary=True)
    p.add_argument("--host", default="127.0.0.1", help=N_("address to bind (default: 127.0.0.1)"))
    p.add_argument("--port", type=int, default=8000, help=N_("port to listen on (default: 8000)"))
    p.add_argument(
        "--hosted",
        action="store_true",
        help=N_(
            "serve many people and their clinicians from one PostgreSQL database "
            "(also BACKWALK_MODE=hosted; see docs/hosting.md)"
        ),
    )
    p.add_argument(
        "--workers", type=int, default=1, help=N_("worker processes (hosted mode; default: 1)")
    )
    _add_admin_commands(commands)
    return parser


def _add_admin_commands(commands: _Commands) -> None:
    admin = commands.add("admin", "", N_("run a hosted deployment (docs/hosting.md)"))
    sub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)

    def action(name: str, func: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=[commands.db])
        p.set_defaults(handler=f"backwalk.cli.admin:{func}")
        return p

    p = action(
        "migrate",
        "migrate",
        N_("as the tables' owner (BACKWALK_ADMIN_DB): update the schema and grant the app role"),
    )
    p.add_argument(
        "--app-role", default="backwalk_app", help=N_("the role the app connects as (backwalk_app)")
    )
    p = action("create-clinician", "create_clinician", N_("make a clinician's account"))
    p.add_argument("name", help=N_("the clinician's username"))
    p.add_argument(
        "--password-stdin", action="store_true", help=N_("read the password from standard input")
    )
    p = action(
        "import-diary", "import_diary", N_("copy a local diary into an account in hosted mode")
    )
    p.add_argument("url", help=N_("the local diary's database URL (e.g. sqlite:////path/diary.db)"))
    p.add_argument("--username", required=True, help=N_("the account to copy it into"))


def _add_check_and_walk(commands: _Commands) -> None:
    p = commands.add(
        "check",
        "backwalk.cli.check:run",
        N_("answer a few questions: get care, rest first or walk gently (saved to the diary)"),
        diary=True,
    )
    p.add_argument("--text", help=N_("describe what is happening in your own words"))
    p.add_argument(
        "--no-text", action="store_true", help=N_("skip the closing 'anything else?' question")
    )
    p = commands.add(
        "walk",
        "backwalk.cli.walk:run",
        N_("a guided walk with timer, cues and check-ins"),
        diary=True,
    )
    p.add_argument("--pain", type=int, metavar="0-10", help=N_("your pain before the walk (0-10)"))
    p.add_argument(
        "--checkin-every",
        type=float,
        metavar="MINUTES",
        help=N_("minutes between check-ins (default from the rulebook)"),
    )
    p.add_argument(
        "--speak",
        action="store_true",
        help=N_(
            "speak the cues and check-in prompts too (needs a speech engine such as espeak-ng)"
        ),
    )


def _add_diary_commands(commands: _Commands) -> None:
    module = "backwalk.cli.diarycmds"
    p = commands.add(
        "plan", f"{module}:plan", N_("show the length of your next walk and why"), True
    )
    p.add_argument("--json", action="store_true", help=N_("print the plan as JSON"))
    p.add_argument(
        "--ics", action="store_true", help=N_("print your walking days as an iCalendar file")
    )
    p = commands.add(
        "history",
        f"{module}:history",
        N_("your checks, walks, walks logged by hand and medicines, with the pain trend"),
        True,
    )
    p.add_argument("--limit", type=int, metavar="N", help=N_("show only the last N entries"))
    p.add_argument("--json", action="store_true", help=N_("print the history as JSON"))
    p = commands.add(
        "export",
        f"{module}:export",
        N_("export the whole diary for your doctor or a spreadsheet"),
        True,
    )
    p.add_argument(
        "--format",
        choices=("csv", "json", "fhir"),
        default="csv",
        help=N_("csv (for people), json (everything) or fhir (an R4 Bundle); default: csv"),
    )
    p.add_argument(
        "--output", "-o", metavar="FILE", help=N_("write to FILE instead of standard output")
    )
    p.add_argument("--name", help=N_("the patient's name in a FHIR export (default: anonymous)"))
    p = commands.add(
        "report",
        "backwalk.cli.report:run",
        N_("a one-page report for your doctor, as HTML or PDF"),
        True,
    )
    p.add_argument(
        "--days",
        metavar="N",
        help=N_("the last N days (default: 14); 'all' for the whole diary"),
        default="14",
    )
    p.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        required=True,
        help=N_("FILE.pdf or FILE.html (the format follows the extension)"),
    )
    p.add_argument("--name", help=N_("the name to print on the report (default: none)"))
    commands.add(
        "seen",
        f"{module}:seen",
        N_("say that a clinician has seen you: a warning sign's advice ends here"),
        True,
    )
    _add_keepwell_commands(commands)
    p = commands.add("forget", f"{module}:forget", N_("delete everything in the diary"), True)
    p.add_argument("--yes", action="store_true", help=N_("do not ask for confirmation"))


def _add_keepwell_commands(commands: _Commands) -> None:
    module = "backwalk.cli.keepwellcmds"
    commands.add(
        "recovered",
        f"{module}:recovered",
        N_("say your back is back to normal: keeping well starts"),
        True,
    )
    p = commands.add(
        "programme", f"{module}:programme", N_("start, change or show your walking plan"), True
    )
    p.add_argument("--days", metavar="D,D,D", help=N_("3 to 5 walking days, e.g. mon,wed,fri"))
    p.add_argument("--minutes", type=int, metavar="N", help=N_("minutes a walk"))
    p = commands.add(
        "log-walk", f"{module}:log_walk", N_("log a walk you did without backwalk"), True
    )
    p.add_argument("minutes", type=int, help=N_("how many minutes you walked"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=N_("the day you walked (default: today)"))
    p = commands.add(
        "recurrence",
        f"{module}:recurrence",
        N_("answer the monthly question about your back"),
        True,
    )
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument(
        "--yes",
        dest="answer",
        action="store_const",
        const=True,
        help=N_("back pain stopped my usual activities for a day or more"),
    )
    answer.add_argument(
        "--no", dest="answer", action="store_const", const=False, help=N_("it did not")
    )
    p = commands.add(
        "medicine", f"{module}:medicine", N_("log a medicine you took for the pain"), True
    )
    p.add_argument("name", help=N_("the medicine, as on the packet (e.g. ibuprofen)"))
    p.add_argument("--dose", default="", help=N_("the dose, as you took it (e.g. '400 mg')"))
    p.add_argument("--at", metavar="WHEN", help=N_("when you took it, ISO 8601 (default: now)"))


def _add_contract_commands(commands: _Commands) -> None:
    module = "backwalk.cli.contract"
    p = commands.add(
        "assess",
        f"{module}:assess_command",
        N_("decide from an answers object (CONTRACT section 1), for scripts"),
    )
    _json_modes(p, "answers")
    p.add_argument("--text", help=N_("free text to merge into the answers (CONTRACT section 3)"))
    p = commands.add(
        "checkin",
        f"{module}:checkin_command",
        N_("decide continue or stop for an in-walk check-in (CONTRACT section 2), for scripts"),
    )
    _json_modes(p, "check-in")
    p = commands.add(
        "rules",
        f"{module}:rules_command",
        N_("show the rulebook: questions, red flags and advice with sources"),
    )
    p.add_argument("--json", action="store_true", help=N_("export the vocabulary as JSON"))
    p.add_argument(
        "--markdown", action="store_true", help=N_("render the rulebook as Markdown docs")
    )


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Entry point for the `backwalk` command; returns the exit status."""
    bw_settings.reload()  # the environment of this run, read once for everything it does
    env = env or Environment.from_system()
    try:
        with i18n.using(_help_language(argv)):
            args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse already printed usage and the error
        return int(exit_.code or 0) and ExitCode.BAD_INPUT
    if getattr(args, "db", None):
        env.db_url = args.db
    try:
        lang = bw_settings.language(getattr(args, "lang", None))
    except BackwalkError as err:  # a language backwalk does not speak
        env.stderr.write(f"backwalk: {printable(str(err))}\n")
        return ExitCode.BAD_INPUT
    with i18n.using(lang):
        return _run(args, env)


def _run(args: argparse.Namespace, env: Environment) -> int:
    module_name, func_name = args.handler.split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    try:
        return int(handler(args, env))
    except KeyboardInterrupt:
        env.stderr.write(_("\nStopped.\n"))
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # the reader (e.g. `| head`) has all it wanted: stop quietly
        _silence_stdout()
        return ExitCode.PIPE_CLOSED
    except BackwalkError as err:
        from backwalk.cli.failures import exit_code  # only on the error path

        env.stderr.write(f"backwalk: {printable(str(err))}\n")
        return exit_code(err)


def _silence_stdout() -> None:
    """Python would report the closed pipe again when it flushes stdout at exit."""
    import os
    import sys

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
