"""`backwalk serve --hosted`: many people on one PostgreSQL, in one or more worker processes.

The configuration is checked (and the database with it) before the port is taken, so a missing
secret or a superuser connection is one clear line, not a crash in every worker. Workers each
build the app from the environment (`backwalk.hosted.app:app_from_env`), so BACKWALK_DB given
as --db is passed on to them that way.
"""

from __future__ import annotations

import socket

from backwalk.cli.env import Environment
from backwalk.exitcodes import ExitCode


def prepare(env: Environment) -> None:
    """Check the settings and the database; HostedConfigError says what to change."""
    from backwalk.hosted import require_extra

    require_extra()
    from backwalk.hosted.config import redis_client, settings_from_env
    from backwalk.hosted.database import open_hosted_diary
    from backwalk.settings import publish_db_url

    settings = settings_from_env(db_url=env.db_url)
    publish_db_url(settings.db_url)  # the workers read it
    open_hosted_diary(settings.db_url).close()
    if settings.redis_url:
        redis_client(settings.redis_url).close()


def serve_hosted(sock: socket.socket, url: str, workers: int, env: Environment) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "backwalk.hosted.app:app_from_env",
        factory=True,
        workers=workers,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    env.stdout.write(
        f"backwalk (hosted, {workers} worker{'s' if workers > 1 else ''}) is running at {url}"
        "  (press Ctrl-C to stop)\n"
    )
    env.stdout.flush()
    server = uvicorn.Server(config)
    if workers == 1:
        server.run(sockets=[sock])
    else:
        Multiprocess(config, sockets=[sock]).run()
    return ExitCode.OK
