"""How the server is started by default (`.streamlit/config.toml`, as `make run` uses it): it
listens on this computer only, and refuses a form or upload that lacks the app's
cross-site-request-forgery token."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from impact.store import Store
from tests.e2e.browser import server


def _listening(port: int) -> list[str]:
    """The local addresses of sockets listening on `port` (from the kernel's own tables)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_the_app_listens_on_this_computer_only_and_keeps_xsrf_protection(tmp_path):
    store = tmp_path / "impact.duckdb"
    Store(store).close()
    with server(store, tmp_path / "streamlit.log", address=None) as url:
        port = int(url.rsplit(":", 1)[1])
        addresses = _listening(port)
        assert addresses == ["0100007F"], addresses  # 127.0.0.1, and nothing else
        upload = urllib.request.Request(
            f"{url}/_stcore/upload_file/session/file", data=b"--x\r\n", method="PUT",
            headers={"Content-Type": "multipart/form-data; boundary=x"})
        try:
            urllib.request.urlopen(upload, timeout=10)
            raise AssertionError("an upload without the XSRF token was accepted")
        except urllib.error.HTTPError as refused:
            assert refused.code == 403
            assert b"XSRF token missing or invalid" in refused.read()
