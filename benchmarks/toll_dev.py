"""Tolls read from real news against the official counts: how often an article's killed and injured counts,
as ledger's facts give them, equal the incident's.

    python benchmarks/toll_dev.py [--examples N]

Reads /work/shared/dev/news_dev.jsonl (772 local-news articles on 300 shootings) and the official counts of each
incident (news_dev_gold.jsonl: num_killed, num_injured). Each article is extracted as `ledger extract` does;
its killed count is the first figure (a count of no unit, not an age) whose clause, as `auto.agreement` reads it
(`ledger.extract.clauses.clause_words`, `HARM` in `ledger.checks.auto`), says those it counts died, and is no
partial count (`is_partial`: "two of the victims", "four others" told apart from the injured after a death);
its injured count likewise for a clause that says injured, wounded or hurt. A clause that says both (one
figure between "killing" and "wounding") is a defect of the clause, listed apart. A count only "shot" is
compared with the killed and injured together. Counts of no people ("shot three times") and of one kind of
people beside another ("two men and a woman") are left out.

Printed: for killed and for injured, how many articles state a count and the share equal to the official
one; then the differences sorted into classes, with a few examples each, and the articles whose count was
missed (the official count is not zero, none was read).

Limits, so the shares are no accuracy figure:
- an early report legitimately differs from the official count (a victim dies later; more victims turn up),
  and the official count is itself one source: a difference is not always an extraction error;
- "a man was killed" states a toll of one with no figure: such articles are counted as missed, and the
  classes say which missed counts had no figure to read;
- an article may tell of other shootings (last year's, the city's toll this year): its first killed count
  may be theirs;
- the classes are sorted by patterns of the text around a figure, a rough guide for finding defects, not
  judged by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ledger.articles import read_articles  # noqa: E402
from ledger.checks.auto import HARM  # noqa: E402
from ledger.extract import extract_article  # noqa: E402
from ledger.extract.clauses import beside_other_people, clause_words, is_partial  # noqa: E402
from ledger.extract.numbers import SMALL  # noqa: E402

DEV = Path("/work/shared/dev/news_dev.jsonl")
GOLD = Path("/work/shared/dev/news_dev_gold.jsonl")
KINDS = {"killed": "die", "injured": "injure", "shot": "shot"}
"""Each kind by the stem its clause says (`HARM` in `ledger.checks.auto`), in order: "shot and killed" is killed."""
NOT_VICTIMS = frozenset("""time count round wound gunshot shot shooting incident investigation charge case block location
scene vehicle gang group""".split())
"""What a count in a clause of harm counts when it counts no people: "shot three times", "five rounds"."""
AGE_AFTER_NAME = re.compile(r"[A-Z][a-z]+,[ \t]*$")
"""A figure after a name and a comma ("Jones, 19, was killed") is an age, whatever the clause says."""
PART_OF = re.compile(r"(?i:^[ \t]+of[ \t]+(?:the|them|those)\b)")
ELSEWHERE = re.compile(r"(?i:\b(?:this[ \t]+year|last[ \t]+year|so[ \t]+far|since|in[ \t]+(?:19|20)\d\d|homicides?"
                       r"|murders?|toll|total|mass[ \t]+shootings?|nationwide|across[ \t]+the)\b)")
SINGLE_DEATH = re.compile(r"(?i:\b(?:was|were)[ \t]+(?:shot[ \t]+(?:and[ \t]+)?)?(?:killed|(?:found[ \t]+)?dead)\b|"
                          r"\bdied\b|\bfatally\b|\bshot[ \t]+dead\b)")
SINGLE_HURT = re.compile(r"(?i:\bwas[ \t]+(?:shot[ \t]+and[ \t]+)?(?:injured|wounded|hurt)\b|\bnon-?life|\bsurvived\b)")
SINGLE = {"killed": SINGLE_DEATH, "injured": SINGLE_HURT}
HARM_TEXT = {"killed": "(?:kill|dead|die|death|fatal)", "injured": "(?:injur|wound|hurt)"}


def toll_kind(words: frozenset[str]) -> str | None:
    """ "killed", "injured", "shot", "both" (a clause that says killed and injured) or None: what the figure's
    clause says happened to those it counts ("shot and killed" is killed, "shot and wounded" injured)."""
    harms = words & HARM.keys()
    if {"die", "injure"} <= harms:
        return "both"
    return next((kind for kind, harm in KINDS.items() if harm in harms), None)


def stated_tolls(article, facts) -> dict[str, object]:
    """Per kind, the first figure of the article that counts the killed (or the injured)."""
    own = sorted(facts, key=lambda f: (f.start, f.end))
    found: dict[str, object] = {}
    for j, fact in enumerate(own):
        if fact.unit is not None or "age" in fact.tags or fact.value != int(fact.value) or not 1 <= fact.value <= 1000:
            continue
        if fact.lemma in NOT_VICTIMS or is_partial(fact, article.text) or beside_other_people(fact, article.text):
            continue
        kind = toll_kind(clause_words(fact, own[max(0, j - 1):j] + own[j + 1:j + 2], article.text))
        if kind == "both":
            kind = next((k for k in ("killed", "injured") if k not in found), "")  # listed as unclear
            fact = fact.model_copy(update={"tags": (*fact.tags, "both")})
        if kind and kind not in found:
            found[kind] = fact
    return found


def error_class(fact, text: str, official: int) -> str:
    """A rough reason why a stated count differs from the official one."""
    before, after = text[max(0, fact.start - 60):fact.start], text[fact.end:fact.end + 40]
    if "both" in fact.tags:
        return "clause says both killed and injured"
    if AGE_AFTER_NAME.search(before) and after.startswith(","):
        return "age read as toll"
    if PART_OF.match(after):
        return "partial count"
    if ELSEWHERE.search(fact.sentence):
        return "cumulative or another incident"
    if fact.value < official:
        return "lower (early report, or a part)"
    return "higher (other victims counted, or a misreading)"


def missed_class(text: str, kind: str, official: int) -> str:
    """Why no count was read although the official one is not zero."""
    if official == 1 and SINGLE[kind].search(text):
        return "one victim told without a figure"
    words = [w for w, v in SMALL.items() if v == official] + [str(official)]
    near = re.compile(rf"(?i:\b(?:{'|'.join(map(re.escape, words))})\b[^.]{{0,60}}"
                      rf"{HARM_TEXT[kind]})")
    if near.search(text):
        return "official figure written near the harm, not read"
    return "no figure near the harm"


def official_count(incident: dict, kind: str) -> int:
    """The official count of a kind: the shot are the killed and the injured."""
    if kind == "shot":
        return incident["num_killed"] + incident["num_injured"]
    return incident[f"num_{kind}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=3, help="examples printed per class")
    args = parser.parse_args()
    gold = {g["event"]: g for g in map(json.loads, GOLD.open(encoding="utf-8"))}
    incident = {json.loads(line)["id"]: json.loads(line)["event"] for line in DEV.open(encoding="utf-8")}
    articles = read_articles([str(DEV)]).articles
    for kind in KINDS:
        stated = equal = 0
        classes: dict[str, list[str]] = defaultdict(list)
        for article in articles:
            official = official_count(gold[incident[article.id]], kind)
            fact = stated_tolls(article, extract_article(article)).get(kind)
            if fact is None:
                if official and kind in SINGLE:  # the shot are missed too often to list: most say killed or hurt
                    classes["missed: " + missed_class(article.text, kind, official)].append(
                        f"{article.id}: official {official}")
                continue
            stated += 1
            if fact.value == official:
                equal += 1
                continue
            sentence = " ".join(fact.sentence.split())
            classes[error_class(fact, article.text, official)].append(
                f"{article.id}: read {fact.value:g}, official {official}: {sentence[:160]}")
        print(f"{kind}: {stated} of {len(articles)} articles state a count; {equal} equal the official "
              f"({equal / max(stated, 1):.0%})")
        for name, examples in sorted(classes.items(), key=lambda item: -len(item[1])):
            print(f"  {len(examples):4d} {name}")
            for example in examples[:args.examples]:
                print(f"         {example}")


if __name__ == "__main__":
    main()
