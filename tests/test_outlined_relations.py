"""`OutlinedRelations`: articles' relations held as made or as the store keeps their text read, grouped and
written as the plain list of them would be."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import to_json

from ledger.model import Relation
from ledger.pipeline import _RELATIONS, OutlinedRelations

_words = st.text(alphabet="abc “é,\"\\", max_size=6)
_relation = st.builds(Relation, kind=st.sampled_from(["subset", "partition", "share", "rate", "change"]),
                      article=st.just(""), total=st.none() | _words, parts=st.lists(_words, max_size=3).map(tuple),
                      share=st.none() | _words, cue=_words)
# per article: its relations, and how they come (made this run, stored text as now, compact as an older ledger)
_articles = st.lists(st.tuples(st.lists(_relation, max_size=3), st.sampled_from(["made", "text", "compact"])),
                     max_size=8)


def _outlined(articles: list[tuple[list[Relation], str]]) -> tuple[OutlinedRelations, list[Relation]]:
    outlined, expected = OutlinedRelations({}), []
    for n, (relations, how) in enumerate(articles):
        relations = tuple(r.model_copy(update={"article": f"a{n % 5}"}) for r in relations)
        expected += relations
        if how == "made":
            outlined.extend(relations)
            continue
        text = _RELATIONS.dump_json(relations, indent=2).decode()
        if how == "compact":
            text = json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        outlined.add_text(f"a{n % 5}", text)
    return outlined, expected


@given(_articles, st.sets(st.sampled_from([f"a{n}" for n in range(5)])))
def test_outlined_relations_read_group_and_write_as_the_plain_list(articles, unread):
    outlined, expected = _outlined(articles)
    assert list(outlined) == expected
    assert outlined.indented() == to_json(expected, indent=2).decode()
    grouped = outlined.grouped(unread)
    assert list(grouped) == list(dict.fromkeys(r.article for r in expected))  # in article order
    assert grouped == {a: [] if a in unread else [r for r in expected if r.article == a] for a in grouped}
