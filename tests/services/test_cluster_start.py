"""A cluster node that exits during start-up is started again, and says why.

The fault (a node process dying while it boots, as when a port is taken for a moment) cannot be
caused on demand with Elasticsearch itself, so the node's launch command is a small program that
exits with code 1 the first time and then serves the cluster-health answer of a real node.
"""
from __future__ import annotations

import sys
import textwrap

import pytest

from config.services import es_cluster
from config.services._util import ServiceError

SERVER = textwrap.dedent("""
    import http.server, json, pathlib, sys
    marker = pathlib.Path(sys.argv[2])
    if not marker.exists():
        marker.write_text("failed once")
        print("fatal exception while booting Elasticsearch: BindTransportException[Failed to bind]", flush=True)
        sys.exit(1)
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"cluster_name": "portal-cluster", "status": "green"}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
""")


class FlakyNode(es_cluster.ClusterNode):
    start_timeout = 20.0

    def __init__(self, base_dir, *, always_fails: bool = False):
        super().__init__(base_dir, 0, 1, "64m", None)
        self.port = 0
        self.always_fails = always_fails
        self.script = base_dir / "node.py"
        self.script.write_text(SERVER)

    def check_ports(self):
        import socket

        with socket.socket() as s:  # a free port of our own, never the real cluster's
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def prepare(self):
        self.dir.mkdir(parents=True, exist_ok=True)

    def command(self):
        if self.always_fails:
            return [sys.executable, "-c", "print('fatal exception while booting Elasticsearch: "
                    "failed to obtain node locks'); raise SystemExit(1)"], {}, self.dir
        return [sys.executable, str(self.script), str(self.port), str(self.dir / "failed-once")], {}, self.dir


def test_a_node_that_dies_while_booting_is_started_again(tmp_path, capsys):
    node = FlakyNode(tmp_path)
    try:
        assert node.start() is True
        assert node.healthy()
    finally:
        node.stop(quiet=True)
    said = capsys.readouterr().out
    assert "exited during start-up (attempt 1), starting it again" in said
    assert "BindTransportException" in said  # the reason is shown, not only the exit code


def test_a_node_that_keeps_dying_fails_with_its_log(tmp_path):
    node = FlakyNode(tmp_path, always_fails=True)
    with pytest.raises(ServiceError) as failure:
        node.start()
    message = str(failure.value)
    assert "exited with code 1 during start-up (attempt 3 of 3)" in message
    assert "node locks" in message
    assert node.pid() is None  # nothing left running
