"""Serving the app in a background thread on a free loopback port: for tests and benchmarks."""

from __future__ import annotations

import threading

from werkzeug.serving import make_server


class ThreadedServer:
    """A WSGI app served by werkzeug on 127.0.0.1 (port 0: any free one) until :meth:`stop`."""

    def __init__(self, wsgi_app, port: int = 0):
        self._server = make_server("127.0.0.1", port, wsgi_app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
