"""The hand-built report renders to the files in tests/report/golden/, byte for byte.

A change to any formatter shows up here as a diff a reviewer can read. To accept a change, rerun with
`pytest --update-goldens` (once the root conftest defines that option) or `LEDGER_UPDATE_GOLDENS=1 pytest`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ledger.report import REPORT_FILES, render

GOLDEN = Path(__file__).parent / "golden"


def updating(config: pytest.Config) -> bool:
    return bool(config.getoption("update_goldens", default=False)) or os.environ.get("LEDGER_UPDATE_GOLDENS") == "1"


@pytest.mark.parametrize("name", list(REPORT_FILES))
def test_golden(report, name, request):
    text = render(REPORT_FILES[name], report)
    path = GOLDEN / name
    if updating(request.config):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with LEDGER_UPDATE_GOLDENS=1 to write it"
    assert path.read_bytes().decode("utf-8") == text, f"{name} changed: rerun with LEDGER_UPDATE_GOLDENS=1 if intended"
