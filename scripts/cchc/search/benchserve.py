"""A local static server for the search benchmark that gzips like a real host and counts bytes.

Every response is gzip-compressed when the client accepts it and the type is
compressible (HTML, CSS, JS, JSON, SVG, XML), as GitHub Pages, Netlify or an
nginx with `gzip on` would do; files that are already compressed (Pagefind's
index chunks, images) are sent as they are. The server records, per request,
the path and the number of body bytes put on the wire, so a benchmark can say
exactly how much a page view or a search cost. Only binds 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map"}


@dataclass
class Hit:
    path: str
    wire_bytes: int
    raw_bytes: int


@dataclass
class Log:
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mark(self) -> int:
        with self.lock:
            return len(self.hits)

    def since(self, mark: int) -> list[Hit]:
        with self.lock:
            return list(self.hits[mark:])


@lru_cache(maxsize=4096)
def _gz(path: str, mtime: float) -> bytes:
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=6, mtime=0)


class _Handler(http.server.BaseHTTPRequestHandler):
    root = ""
    log: Log
    overrides: dict[str, str] = {}  # url path -> file path served instead (variants of one site)

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        fs = self.overrides.get(path)
        if fs is None:
            fs = os.path.normpath(os.path.join(self.root, path.lstrip("/")))
            if not fs.startswith(self.root):
                self.send_error(403)
                return
            if os.path.isdir(fs):
                fs = os.path.join(fs, "index.html")
        if not os.path.isfile(fs):
            self.send_error(404)
            self.log.hits.append(Hit(path, 0, 0))
            return
        ext = os.path.splitext(fs)[1].lower()
        ctype = mimetypes.guess_type(fs)[0] or "application/octet-stream"
        if ext == ".js" or ext == ".mjs":
            ctype = "text/javascript"
        if ext == ".html":
            ctype = "text/html; charset=utf-8"
        raw_size = os.path.getsize(fs)
        if ext in _COMPRESSIBLE and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = _gz(fs, os.path.getmtime(fs))
            enc = "gzip"
        else:
            with open(fs, "rb") as f:
                body = f.read()
            enc = None
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if enc:
            self.send_header("Content-Encoding", enc)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        with self.log.lock:
            self.log.hits.append(Hit(path, len(body), raw_size))


class Server:
    """`with Server(site_dir) as s:` serves on http://127.0.0.1:<s.port>/."""

    def __init__(self, root: str, overrides: dict[str, str] | None = None):
        self.log = Log()
        handler = type("H", (_Handler,), {"root": os.path.abspath(root), "log": self.log, "overrides": overrides or {}})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
