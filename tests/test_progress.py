"""Progress on a terminal only: a counted line for extraction, a label for steps without a count."""

from __future__ import annotations

from ledger import progress


def test_step_shows_its_label_on_a_terminal_and_clears_it(monkeypatch, capsys):
    monkeypatch.setattr(progress, "enabled", lambda: True)
    with progress.step("checking 12 facts"):
        pass
    assert capsys.readouterr().err == "\rchecking 12 facts…\r\x1b[K"


def test_step_and_progress_are_silent_in_ci(monkeypatch, capsys):
    monkeypatch.setattr(progress, "enabled", lambda: False)
    with progress.step("checking"):
        pass
    assert list(progress.progress(range(100), 100, "extracting")) == list(range(100))
    assert capsys.readouterr().err == ""


def test_enabled_needs_a_terminal_and_no_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert not progress.enabled()
