import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest

PAGE = b"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Werkportaal test</title></head>
<body><h1 id="kop">Welkom bij het Werkportaal</h1>
<button id="knop">Ik wil kennismaken</button><p id="uit"></p>
<script src="/app.js"></script></body></html>"""
SCRIPT = b"""document.getElementById('knop').addEventListener('click', function () {
  document.getElementById('uit').textContent = 'Verzoek verstuurd';
});"""


class Handler(SimpleHTTPRequestHandler):
    def do_GET(self):
        body, ctype = (SCRIPT, "text/javascript") if self.path == "/app.js" else (PAGE, "text/html; charset=utf-8")
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_site():
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_reads_text_and_clicks(page, tiny_site):
    page.goto(tiny_site + "/")
    assert page.title() == "Werkportaal test"
    assert page.locator("#kop").inner_text() == "Welkom bij het Werkportaal"
    page.click("#knop")
    page.wait_for_selector("text=Verzoek verstuurd")
    assert page.locator("#uit").inner_text() == "Verzoek verstuurd"
