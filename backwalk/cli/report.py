"""`backwalk report`: the one-page report for a clinician, saved as HTML or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from backwalk.cli.diaryaccess import opened_diary
from backwalk.cli.env import Environment
from backwalk.errors import InputError
from backwalk.exitcodes import ExitCode
from backwalk.i18n import gettext as _

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def run(args: argparse.Namespace, env: Environment) -> int:
    """Build the report for the period asked for and write it to --output."""
    from backwalk.report import build_report, parse_days, render_html, render_pdf

    days = parse_days(args.days)
    target = Path(args.output)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputError("output", _("must end in .pdf or .html, e.g. report.pdf"))
    with opened_diary(env) as diary:
        report = build_report(diary, env.clock.now(), days, name=args.name)
    html = render_html(report)
    data = render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    try:
        target.write_bytes(data)
    except OSError as err:
        said = _("cannot write {path}: {why}").format(path=args.output, why=err.strerror or err)
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.ERROR
    said = _("Saved the report for {period} to {path}").format(
        period=report.period, path=args.output
    )
    env.stderr.write(f"{said}\n")
    return ExitCode.OK
