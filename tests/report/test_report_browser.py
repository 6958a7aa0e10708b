"""index.html in a real headless browser, when one is installed (Debian: `apt-get install chromium`).

It loads from file:// with no console messages at all (no errors, no CSP violations), the filter script
runs, the hostile article's script and onerror handler do not, and screenshots are saved in
tests/report/_artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ledger.report import write_reports

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
ARTIFACTS = Path(__file__).parent / "_artifacts"

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH")


def run_browser(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
               "--hide-scrollbars", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def rendered(report, tmp_path) -> Path:
    out = tmp_path / "reports"
    write_reports(report, out)
    return out / "index.html"


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_loads_runs_our_script_and_not_the_articles(rendered, tmp_path):
    result = run_browser(rendered, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "</html>" in dom
    assert console_lines(result.stderr) == []
    assert "<title>ledger · consistency report</title>" in dom  # not 'PWNED'
    assert "data-pwned" not in dom.split("<body", 1)[0] + dom.split("<body", 1)[1].split(">", 1)[0]
    assert 'data-pwned="' not in dom
    assert '<nav id="filters" aria-label="Filter findings">' in dom  # the filter script ran and showed them
    assert '<span id="filter-count" class="muted">7 shown</span>' in dom
    assert "&lt;script&gt;document.title=" in dom  # the hostile text is on the page, as text


def test_screenshots(rendered, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in (("index-top.png", "1280,1600"), ("index-long.png", "1280,5200")):
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        result = run_browser(rendered, tmp_path / f"profile-{name}", f"--window-size={size}", f"--screenshot={target}")
        assert result.returncode == 0, result.stderr[-2000:]
        assert target.stat().st_size > 20_000
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert console_lines(result.stderr) == []
