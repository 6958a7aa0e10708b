"""What a figure's own clause says: each count of a toll says its own harm, not its neighbour's."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.extract import extract_article
from ledger.extract.clauses import clause_words, is_partial
from ledger.model import Article

HARMS = frozenset({"die", "injure", "shot"})


def harms(text: str) -> list[tuple[str, list[str]]]:
    """Per figure of `text`: its surface and the harms its clause tells ([] for a partial count)."""
    article = Article(id="t", path="t.md", text=text, published=date(2024, 2, 7))
    own = sorted(extract_article(article), key=lambda f: f.start)
    return [(f.surface, [] if is_partial(f, text) else
             sorted(clause_words(f, own[max(0, j - 1):j] + own[j + 1:j + 2], text) & HARMS))
            for j, f in enumerate(own)]


@pytest.mark.parametrize("text, expected", [
    # the harm after "and" is the next count's
    ("The gunman opened fire, killing two and wounding three.", [("two", ["die"]), ("three", ["injure"])]),
    ("He killed two and injured three, police said.", [("two", ["die"]), ("three", ["injure"])]),
    ("Police said 2 were dead and 3 injured.", [("2", ["die"]), ("3", ["injure"])]),
    ("Detectives are looking into the killings of two people and the wounding of three people.",
     [("two", ["die"]), ("three", ["injure"])]),
    # ... and the death before "and" is the last count's, or nobody counted's
    ("A shooting left a boy dead and three others injured.", [("three", ["injure"])]),
    ("Gunfire left a bystander dead and nine people hurt on the street.", [("nine", ["injure"])]),
    ("Two people were killed and four others injured.", [("Two", ["die"]), ("four", ["injure"])]),
    ("The shooting killed a woman and injured nine others.", [("nine", ["injure"])]),
    ("A gunman left two men dead and injured seven others.", [("two", ["die"]), ("seven", ["injure"])]),
    # a count that tells its harm after "and" keeps it
    ("Five people were shot and killed.", [("Five", ["die", "shot"])]),
    ("Police said the gunman shot and killed two.", [("two", ["die", "shot"])]),
    ("The shooting left three dead.", [("three", ["die"])]),
])
def test_each_count_of_a_toll_says_its_own_harm(text, expected):
    assert harms(text) == expected


@pytest.mark.parametrize("text", [
    "Police found the gunfire that leaves three men dead.",  # the event's toll, not a part of the gunfire
    "Police are investigating a shooting that left three men dead.",
])
def test_a_toll_told_in_a_clause_about_the_event_is_whole(text):
    assert harms(text) == [("three", ["die"])]


@pytest.mark.parametrize("text, expected", [
    ("Four people were taken to a hospital with life threatening injuries.", [("Four", ["injure"])]),
    ("Four people suffered non-life threatening injuries.", [("Four", ["injure"])]),
    ("Two officers died from their injuries.", [("Two", ["die"])]),
])
def test_words_of_harm_that_tell_another_harm(text, expected):
    assert harms(text) == expected
