"""One event's toll told under different place names (`ledger.checks.places`)."""

from __future__ import annotations

from datetime import date

from ledger.checks.places import merged_places
from tests.auto.test_auto import check, joined

DAY = date(2024, 2, 9)
WELLSTON = ("WELLSTON — Four people were shot at a party on Kelso Street in Wellston, Oklahoma, police said. "
            "Officer Dana Pruitt said Marla Quince was among them.")
OKLAHOMA = ("OKLAHOMA — Four people were shot at a party near Wellston, police said. Officer Dana Pruitt said Marla "
            "Quince was among them.")


def test_two_names_of_one_place_hold_one_toll():
    found = joined(check(WELLSTON, OKLAHOMA, published=(DAY, DAY)))
    assert [(f.status, len(f.articles)) for f in found] == [("pass", 2)]


def test_another_days_or_another_storys_toll_stays_apart():
    assert not joined(check(WELLSTON, OKLAHOMA, published=(DAY, date(2024, 2, 10))))
    # the names never stand together, as when one story mentions another place's shooting in passing
    wellston = ("WELLSTON — Four people were shot at a party, police said. Officer Dana Pruitt said Marla Quince was "
                "among them. Help came from all over the state, even from as far as Oklahoma.")
    oklahoma = ("OKLAHOMA — Four people were shot at a party, police said. Officer Dana Pruitt said Marla Quince was "
                "among them, and that the city had seen nothing like it since a crash last year in Wellston.")
    assert not joined(check(wellston, oklahoma, published=(DAY, DAY)))


def test_only_names_each_story_gives_the_other_are_merged():
    texts = {"a": "Shots in Wellston, Oklahoma: Dana Pruitt and Marla Quince.",
             "b": "Shots near Wellston in Oklahoma: Dana Pruitt and Marla Quince.",
             "c": "Shots in Dunmore: Dana Pruitt and Marla Quince, not in Wellston."}
    merged = merged_places([(DAY, "wellston", "a"), (DAY, "oklahoma", "b"), (DAY, "dunmore", "c")], texts.__getitem__)
    assert merged == {(DAY, "wellston"): "oklahoma"} or merged == {(DAY, "oklahoma"): "wellston"}
