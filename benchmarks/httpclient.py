"""HTTP/1.1 requests over a pool of keep-alive connections on raw asyncio streams (for
benchmarks.crowd): replies with their headers and bodies, cookies, and a connection the server
closed while it sat idle replaced as a reverse proxy would."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> list[str]:
        """The name=value of each Set-Cookie."""
        return [v.split(";", 1)[0].strip() for k, v in self.headers if k == "set-cookie"]

    @property
    def keep_alive(self) -> bool:
        return all(not (k == "connection" and v.lower() == "close") for k, v in self.headers)


class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, raw: bytes) -> Reply:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = []
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers.append((name.strip().lower(), value.strip()))
        found = dict(headers)
        if found.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.readexactly(int(found.get("content-length", "0")))
        return Reply(status, headers, body)

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append((await self.reader.readexactly(size + 2))[:-2])
            if size == 0:
                return b"".join(parts)

    def close(self) -> None:
        self.writer.close()


class Http:
    """Requests over a pool of keep-alive connections; one the server closed while it was idle
    is replaced and the request sent again, as a proxy would (nothing was read from it)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[Conn] = []

    async def request(
        self, method: str, path: str, cookie: str = "", body: dict[str, Any] | None = None
    ) -> Reply:
        raw = self._build(method, path, cookie, body)
        for attempt in range(2):
            reused = bool(self.idle) and attempt == 0
            conn = self.idle.pop() if reused else Conn(*await self._open())
            try:
                reply = await asyncio.wait_for(conn.exchange(raw), REQUEST_TIMEOUT)
            except (asyncio.IncompleteReadError, ConnectionError) as err:
                conn.close()
                if reused and not getattr(err, "partial", b""):
                    continue
                raise
            except (OSError, TimeoutError):
                conn.close()
                raise
            if reply.keep_alive:
                self.idle.append(conn)
            else:
                conn.close()
            return reply
        raise ConnectionError("unreachable")

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(self.host, self.port)

    def _build(self, method: str, path: str, cookie: str, body: dict[str, Any] | None) -> bytes:
        accept = (
            "text/html" if method == "GET" and not path.startswith("/api/") else "application/json"
        )
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Accept: {accept}"]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        data = b""
        if body is not None:
            data = json.dumps(body).encode()
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()
