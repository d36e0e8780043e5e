"""Real Chromium for browser tests: Debian's ``chromium`` driven by Playwright (never
``playwright install``), sandbox and background networking off (ARCHITECTURE.md, real components)."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

__all__ = ["chromium", "serve_app"]

CHROMIUM = os.environ.get("SMARTCITY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-quic", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    from tests.conftest import missing_component

    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        missing_component("Chromium: Debian package 'chromium' is not installed (make test installs it as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_component("Playwright: PyPI package 'playwright' is not installed")
    home = tmp_path_factory.mktemp("chromium-home")
    # Chromium writes crash reports and config under HOME; keep them out of the real one.
    saved = {k: os.environ.get(k) for k in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                                 args=ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def serve_app(app):
    """Serve a Flask app on a free loopback port in a thread; returns (base_url, stop)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown
