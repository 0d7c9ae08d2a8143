"""`backwalk serve`: the local web app, on 127.0.0.1:8000 unless told otherwise.

The socket is bound here, before uvicorn starts, so a port already in use is one clear line on
stderr instead of a traceback, and the URL is printed only once the app can really be reached.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket

from backwalk.cli.env import Environment
from backwalk.exitcodes import ExitCode
from backwalk.i18n import gettext as _

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True when only this computer can reach `host`."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str] | None:
    """Host headers to accept: on loopback only our own names (a guard against DNS rebinding)."""
    if not is_loopback(host):
        return None
    return ["127.0.0.1", "localhost", "[::1]", "::1", host]


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; OSError if that is impossible (e.g. the port is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    infos = socket.getaddrinfo(
        host.strip("[]"), port, family, socket.SOCK_STREAM, socket.IPPROTO_TCP
    )
    # proto must say TCP: asyncio only sets TCP_NODELAY on connections from such a socket, and
    # without it every answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(infos[0][0], socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(infos[0][4])
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


MAX_WORKERS = 64


def run(args: argparse.Namespace, env: Environment) -> int:
    """Start the web app and serve until Ctrl-C."""
    from backwalk.settings import hosted_requested

    host, port = args.host, args.port
    if not 0 < port < 65536:
        said = _("--port must be from 1 to 65535, got {port}").format(port=port)
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.BAD_INPUT
    if not 1 <= args.workers <= MAX_WORKERS:
        said = _("--workers must be from 1 to {most}").format(most=MAX_WORKERS)
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.BAD_INPUT
    hosted = hosted_requested() or args.hosted  # a bad BACKWALK_MODE is an error either way
    if args.workers > 1 and not hosted:
        said = _("--workers is for hosted mode (--hosted); the local diary has one person")
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.BAD_INPUT
    if hosted:
        from backwalk.cli.serve_hosted import prepare

        prepare(env)  # a bad configuration is one clear line before any port is taken
    try:
        sock = bind(host, port)
    except OSError as err:
        said = _("cannot listen on {url}: {why}").format(url=url_for(host, port), why=_why(err))
        env.stderr.write(f"backwalk: {said}\n")
        return ExitCode.ERROR
    try:
        if hosted:
            from backwalk.cli.serve_hosted import serve_hosted

            return serve_hosted(sock, url_for(host, port), args.workers, env)
        return _serve(sock, host, port, env)
    finally:
        sock.close()


def _why(err: OSError) -> str:
    if isinstance(err, socket.gaierror):
        return _("unknown host name")
    if err.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
        return _("the port is already in use (is backwalk already running? try --port 8001)")
    if err.errno in (13, 10013):
        return _("permission denied (ports below 1024 need special rights; try --port 8000)")
    return err.strerror or str(err)


def warm_text_reader_in_background() -> None:
    """Load the free-text reader while the server already answers, so that the first check
    with words in it does not wait a second or two for spaCy to load."""
    import logging
    import threading

    from backwalk.cli.check import language_module_installed

    if not language_module_installed():
        return

    def warm() -> None:
        from backwalk.nlp import warm_up

        try:
            warm_up()
        except Exception:  # logged; a check with text then reports the problem itself
            logging.getLogger("backwalk.web").exception("the free-text reader did not load")

    threading.Thread(target=warm, name="backwalk-warm-nlp", daemon=True).start()


def _serve(sock: socket.socket, host: str, port: int, env: Environment) -> int:
    import uvicorn

    from backwalk.diary import DiaryError
    from backwalk.web.app import create_app

    try:
        app = create_app(db_url=env.db_url, clock=env.clock, allowed_hosts=allowed_hosts(host))
    except DiaryError as err:
        env.stderr.write(f"backwalk: {err}\n")
        return ExitCode.ERROR
    if not is_loopback(host):
        said = _(
            "warning: listening on {host}, so other devices on the network can open your "
            "diary. There is no login; only do this on a network you trust."
        ).format(host=host)
        env.stderr.write(f"backwalk: {said}\n")
    running = _("backwalk is running at {url}  (press Ctrl-C to stop)")
    env.stdout.write(running.format(url=url_for(host, port)) + "\n")
    env.stdout.flush()
    warm_text_reader_in_background()
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
    return ExitCode.OK
