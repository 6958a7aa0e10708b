"""A deterministic synthetic news archive for benchmarks: realistic sentences, figures and front matter.

    from benchmarks.corpus import articles
    for meta, text in articles(n=1000, seed=7): ...
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Iterator

ENTITIES = ["Wagner", "the city council", "Acme Corp", "the health ministry", "the Red Cross", "North Korea",
            "the school district", "the port authority", "Globex", "the state police", "the central bank"]
OUTLETS = ["Sample Wire", "Daily Ledger", "Evening Post", "Metro Courier", "Harbor Times"]
SUBJECTS = ["people", "workers", "fighters", "patients", "students", "homes", "vehicles", "passengers",
            "jobs", "soldiers", "residents", "voters", "families", "cases", "tickets"]
QUALIFIERS = ["", "", "", "about ", "more than ", "nearly ", "at least ", "up to ", "roughly ", "fewer than "]
# A story is one event covered by a few articles (the dev corpus: 772 articles on 300 incidents), each about its own
# named entity; a few national institutions recur across many stories.
STORY_ARTICLES = 3
STORY_DAYS = 3
"""A story's articles are published within so many days (the night of an event, the next morning's paper)."""
RECURRING = 0.1
ARTICLES_PER_DAY = 33
"""An archive grows by so many articles a day, so a larger archive spans more days (1,485 at 49,020 articles, a
million facts) and each day is as busy at every size: the recurring institutions' figures are as many within an
agreement window in a small archive as in a large one."""
PLACE_HEADS = ["Ash", "Bar", "Bel", "Cal", "Cor", "Dal", "Dun", "El", "Fal", "Fen", "Glen", "Har", "Hol", "Ink", "Jar",
               "Kel", "Kin", "Lan", "Lor", "Mar", "Mor", "Ned", "Nor", "Oak", "Os", "Pen", "Pol", "Rath", "Sel", "Tor",
               "Val", "Wes"]
PLACE_MIDS = ["", "an", "ar", "ast", "el", "en", "erl", "ick", "ing", "is", "ol", "or", "ow", "ru", "um", "ven"]
# 51,200 names (with KINDS): a story each up to 153,600 articles (3 million facts), so no two stories share a name
PLACE_TAILS = ["by", "den", "field", "ford", "holm", "mere", "stead", "ton", "wick", "worth"]
KINDS = ["Mining", "Health Trust", "Police", "Port Authority", "Holdings", "University", "Water Board", "Transit",
         "Hospital", "Steelworks"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WORDS = ["two", "three", "five", "a dozen", "twenty", "fifty-two", "three hundred", "two million"]


def _story_entity(story: int) -> str:
    names = len(PLACE_HEADS) * len(PLACE_MIDS) * len(PLACE_TAILS) * len(KINDS)
    k = story * 7919 % names  # scattered, so a small archive still has every kind of name
    k, head = divmod(k, len(PLACE_HEADS))
    k, mid = divmod(k, len(PLACE_MIDS))
    k, tail = divmod(k, len(PLACE_TAILS))
    return f"{PLACE_HEADS[head]}{PLACE_MIDS[mid]}{PLACE_TAILS[tail]} {KINDS[k % len(KINDS)]}"


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"{rng.choice([1, 2, 5, 10, 12, 25, 40, 50, 75, 120, 300]) * rng.choice([1, 10, 100, 1000]):,}"
    if kind < 0.7:
        return f"{rng.randint(2, 900):,}"
    if kind < 0.85:
        return f"{rng.randint(11, 99) / 10:.1f} million"
    return rng.choice(WORDS)


def _sentence(rng: random.Random, entity: str) -> str:
    q, n, s = rng.choice(QUALIFIERS), _number(rng), rng.choice(SUBJECTS)
    templates = [
        f"{_capitalized(entity)} said {q}{n} {s} were affected by the changes announced on {rng.choice(MONTHS)} {rng.randint(1, 28)}.",
        f"Officials estimate that {q}{n} {s} have left the region since {rng.randint(1990, 2024)}.",
        f"The budget of ${rng.randint(2, 900)} million a year covers {q}{n} {s}, according to {entity}.",
        f"About {rng.randint(2, 95)}% of the {s} surveyed said they expected prices to rise over {rng.randint(2, 10)} years.",
        f"{_capitalized(entity)} has {q}{n} {s}, including {rng.randint(2, 90) * 100:,} {rng.choice(SUBJECTS)} and {rng.randint(2, 90) * 100:,} others.",
        f"The project will cost £{rng.randint(2, 40) / 2:.1f}bn and take {rng.randint(2, 12)} years, a spokesman told reporters at 3 p.m. on Tuesday.",
        f"Between {rng.randint(2, 9)},000 and {rng.randint(10, 20)},000 {s} gathered in the square, police said.",
        f"The storm dumped {rng.randint(2, 30)} inches of rain and cut power to {q}{n} {s} across {rng.randint(2, 40)} counties.",
        f"Mr. Smith, who served a third term, said the plan was 'a step forward' for {entity}.",
        f"Exports fell {rng.randint(2, 19)}.{rng.randint(0, 9)} percent to €{rng.randint(2, 90)} billion in the second quarter.",
    ]
    return rng.choice(templates)


def articles(n: int, seed: int = 7, sentences: int = 12, span_days: int | None = None) -> Iterator[tuple[dict, str]]:
    """`span_days`: the days the archive's articles are published over (by default as `ARTICLES_PER_DAY` has it)."""
    rng = random.Random(seed)
    start = date(2020, 1, 1)
    span = span_days if span_days is not None else max(1, round(n / ARTICLES_PER_DAY))
    stories = max(1, n // STORY_ARTICLES)
    for i in range(n):
        story = None if rng.random() < RECURRING else rng.randrange(stories)
        entity = rng.choice(ENTITIES) if story is None else _story_entity(story)
        outlet, day = rng.choice(OUTLETS), rng.randint(0, span)
        if story is not None:  # its articles within days of each other, the stories in order over the span
            day = min(span, story * span // stories + day % STORY_DAYS)
        meta = {"id": f"synthetic-{i:07d}", "title": f"Report {i} on {entity}", "outlet": outlet,
                "published": (start + timedelta(days=day)).isoformat(), "sample": True}
        paragraphs = [" ".join(_sentence(rng, entity) for _ in range(3)) for _ in range(max(1, sentences // 3))]
        yield meta, "\n\n".join(paragraphs) + "\n"
