"""Options shared by the whole suite."""

from __future__ import annotations


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files (tests/report/golden/, and reports/ for the shipped seeds)")
