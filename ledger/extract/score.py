"""Score an extractor against annotated sentences: value, value+unit, qualifier, subject, bounds.

Gold items are dicts `{"id", "text", "facts": [{"surface", "value", "unit", "qualifier", "subject",
"low"?, "high"?}], "covers": [...]}` (the shape of `tests/extract/dev_sentences.jsonl`).

A predicted fact matches a gold fact when their values agree within 0.5 % (relative) and their
character spans overlap; the gold span is found by searching the text for the gold surface (the k-th
gold fact with a given surface takes its k-th occurrence). A gold fact with no surface matches on
value alone. Each fact matches at most once.

    python -m ledger.extract.score tests/extract/dev_sentences.jsonl
    python -m ledger.extract.score --quantities /work/shared/dev/quantities_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ledger.model import Fact

Predict = Callable[[str], list[Fact]]

REL_TOL = 0.005

# --------------------------------------------------------------------------- normalisation

_UNIT_ALIASES = {
    "%": "percent", "pct": "percent", "percentage": "percent", "per cent": "percent",
    "pp": "percentage_point", "percentage point": "percentage_point", "percentage points": "percentage_point",
    "bp": "basis_point", "bps": "basis_point", "basis point": "basis_point", "basis points": "basis_point",
    "$": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "tons": "ton", "tonnes": "tonne", "miles": "mile", "mi": "mile",
    "kph": "km/h", "km/hr": "km/h", "m3": "m**3", "m^3": "m**3", "cubic meter": "m**3", "cubic metre": "m**3",
    "temperature_degree": "degree",
}
"""Annotators write "degree" for degrees of no named scale, an angle's or a temperature's alike ("the temperature is
24 degrees"); ledger tells them apart, so its temperature in unnamed degrees is their "degree" too."""
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "series": "series",
              "news": "news"}


def _unit_key(unit: str | None) -> str | None:
    if unit is None:
        return None
    u = re.sub(r"\s+", " ", unit.strip())
    if u.lower() in ("", "count", "1"):
        return None
    u = _UNIT_ALIASES.get(u.lower(), _UNIT_ALIASES.get(u, u))
    return re.sub(r"\s+", "", u)


def _pint_str(unit: str) -> str | None:
    try:
        from ledger.units import parse_unit

        return str(parse_unit(unit))
    except Exception:  # unknown to pint: compare as strings only
        return None


def same_unit(gold: str | None, pred: str | None) -> bool:
    g, p = _unit_key(gold), _unit_key(pred)
    if g is None or p is None:
        return g is p
    if g.lower() == p.lower():
        return True
    pg, pp = _pint_str(g), _pint_str(p)
    return pg is not None and (pg == pp or _same_magnitude(g, p))


def _same_magnitude(gold: str, pred: str) -> bool:
    """One unit under two names: "mL" and "cm**3", "l" and "dm**3" (pint converts one to the other exactly)."""
    try:
        from ledger.units import parse_unit

        factor = (1 * parse_unit(gold)).to(parse_unit(pred)).magnitude
    except Exception:  # unknown, or of another dimension
        return False
    return abs(factor - 1) < 1e-9


def singular(word: str | None) -> str | None:
    """A cheap singular, lower case: "volunteers" -> "volunteer", "batteries" -> "battery"."""
    words = (word or "").lower().split()
    if not words:
        return None
    w = words[-1]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def same_subject(gold: str | None, pred: Fact) -> bool:
    g = singular(gold)
    return g is not None and g in {singular(pred.subject), singular(pred.lemma)}


def same_value(gold: float, pred: float) -> bool:
    if math.isinf(gold) or math.isinf(pred):
        return gold == pred
    return abs(pred - gold) <= REL_TOL * abs(gold) if gold else abs(pred) < 1e-9


# --------------------------------------------------------------------------- counting

@dataclass
class Counts:
    sentences: int = 0
    gold: int = 0
    pred: int = 0
    matched: int = 0
    matched_unit: int = 0
    qualifier_ok: int = 0
    qualifier_n: int = 0
    subject_ok: int = 0
    subject_n: int = 0
    bounds_ok: int = 0
    bounds_n: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(Counts):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @staticmethod
    def _div(a: int, b: int) -> float | None:
        return a / b if b else None

    @staticmethod
    def _f1(tp: int, n_pred: int, n_gold: int) -> float | None:
        if not n_pred and not n_gold:
            return None
        return 2 * tp / (n_pred + n_gold)

    @property
    def precision(self) -> float | None:
        return self._div(self.matched, self.pred)

    @property
    def recall(self) -> float | None:
        return self._div(self.matched, self.gold)

    @property
    def value_f1(self) -> float | None:
        return self._f1(self.matched, self.pred, self.gold)

    @property
    def unit_f1(self) -> float | None:
        return self._f1(self.matched_unit, self.pred, self.gold)

    @property
    def qualifier_acc(self) -> float | None:
        return self._div(self.qualifier_ok, self.qualifier_n)

    @property
    def subject_acc(self) -> float | None:
        return self._div(self.subject_ok, self.subject_n)

    @property
    def bounds_acc(self) -> float | None:
        return self._div(self.bounds_ok, self.bounds_n)


@dataclass
class Miss:
    id: str
    kind: str
    """missed (gold not found), spurious (prediction not in gold), unit, qualifier, subject, bounds, error."""
    surface: str
    gold: str = ""
    pred: str = ""


@dataclass
class Scores(Counts):
    by_tag: dict[str, Counts] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)


def _occurrences(text: str, surface: str) -> list[int]:
    """Where `surface` starts in `text`, whole-token hits first ("2 percent" is not inside "12 percent")."""
    starts = [m.start() for m in re.finditer(re.escape(surface), text)]
    whole = [i for i in starts if not (i and text[i - 1].isalnum() and surface[0].isalnum())
             and not (i + len(surface) < len(text) and text[i + len(surface)].isalnum() and surface[-1].isalnum())]
    return whole + [i for i in starts if i not in whole]


def gold_spans(text: str, facts: list[dict[str, Any]]) -> list[tuple[int, int] | None]:
    """The span of each gold surface in `text` (the k-th fact with a surface takes its k-th occurrence)."""
    seen: dict[str, int] = {}
    spans: list[tuple[int, int] | None] = []
    for f in facts:
        surface = f.get("surface")
        if not surface:
            spans.append(None)
            continue
        k = seen.get(surface, 0)
        seen[surface] = k + 1
        starts = _occurrences(text, surface)
        spans.append((starts[k], starts[k] + len(surface)) if k < len(starts) else None)
    return spans


def _fmt_value(value: float | None, unit: str | None = None, subject: str | None = None) -> str:
    v = "?" if value is None else f"{value:g}"
    return " ".join(x for x in (v, unit or "", f"[{subject}]" if subject else "") if x)


def score_item(item: dict[str, Any], predicted: list[Fact], misses: list[Miss] | None = None) -> Counts:
    """Counts for one gold item against the facts predicted for its text (misses appended to `misses`)."""
    misses = misses if misses is not None else []
    text, facts, sid = item["text"], item.get("facts", []), item.get("id", "-")
    c = Counts(sentences=1, gold=len(facts), pred=len(predicted))
    spans = gold_spans(text, facts)
    used: set[int] = set()
    for g, span in zip(facts, spans):
        best, best_overlap = None, -1
        for i, p in enumerate(predicted):
            if i in used or not same_value(float(g["value"]), p.value):
                continue
            overlap = 0 if span is None else min(span[1], p.end) - max(span[0], p.start)
            if span is not None and overlap <= 0:
                continue
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        gold_desc = _fmt_value(g["value"], g.get("unit"), g.get("subject"))
        if best is None:
            misses.append(Miss(sid, "missed", g.get("surface") or "", gold_desc))
            continue
        used.add(best)
        p = predicted[best]
        pred_desc = _fmt_value(p.value, p.unit, p.subject)
        c.matched += 1
        unit_ok = same_unit(g.get("unit"), p.unit)
        if not unit_ok:
            misses.append(Miss(sid, "unit", p.surface, gold_desc, pred_desc))
        elif g.get("unit") is None and g.get("subject"):
            unit_ok = same_subject(g["subject"], p)  # a count's subject is its unit (missed: see "subject")
        c.matched_unit += unit_ok
        if g.get("qualifier"):
            c.qualifier_n += 1
            if g["qualifier"] == p.qualifier:
                c.qualifier_ok += 1
            else:
                misses.append(Miss(sid, "qualifier", p.surface, g["qualifier"], p.qualifier))
        if g.get("unit") is None and g.get("subject"):
            c.subject_n += 1
            if same_subject(g["subject"], p):
                c.subject_ok += 1
            else:
                misses.append(Miss(sid, "subject", p.surface, str(g["subject"]), str(p.subject)))
        bounds = [(g[k], getattr(p, k)) for k in ("low", "high") if isinstance(g.get(k), (int, float))]
        if bounds:
            c.bounds_n += 1
            if all(same_value(float(gv), pv) for gv, pv in bounds):
                c.bounds_ok += 1
            else:
                gold_bounds = f"{g.get('low')}..{g.get('high')}"
                misses.append(Miss(sid, "bounds", p.surface, gold_bounds, f"{p.low:g}..{p.high:g}"))
    for i, p in enumerate(predicted):
        if i not in used:
            misses.append(Miss(sid, "spurious", p.surface, "", _fmt_value(p.value, p.unit, p.subject)))
    return c


def score(gold_items: Iterable[dict[str, Any]], predict: Predict) -> Scores:
    """Score `predict` (text -> facts) on gold items; a crash on one text counts as no predictions."""
    scores = Scores()
    for item in gold_items:
        try:
            predicted = list(predict(item["text"]))
        except Exception as e:  # noqa: BLE001 - one bad sentence must not hide the rest
            scores.misses.append(Miss(item.get("id", "-"), "error", "", "", f"{type(e).__name__}: {e}"))
            predicted = []
        c = score_item(item, predicted, scores.misses)
        scores.add(c)
        for tag in item.get("covers", []):
            scores.by_tag.setdefault(tag, Counts()).add(c)
    return scores


# --------------------------------------------------------------------------- loading

def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


_QUANTITY_UNITS = {
    "dimensionless": None, "count": None, "count per week": "1/week", "minute of arc": "arcminute",
    "second of arc": "arcsecond", "dozen": None, "gross": None,
    "dollar": "USD", "cent": "USD", "pound sterling": "GBP", "penny": "GBP", "dime": "USD", "euro": "EUR",
    "japanese yen": "JPY", "chinese yuan": "CNY", "canadian dollar": "CAD", "australian dollar": "AUD",
    "new zealand dollar": "NZD", "hong kong dollar": "HKD", "swiss franc": "CHF", "turkish lira": "TRY",
    "rupee": "INR", "mexican peso": "MXN", "bitcoin": "BTC", "costa rican colón": "CRC", "georgian lari": "GEL",
    "lao kip": "LAK", "sri lankan rupee": "LKR", "netherlands guilde": "NLG",
    "percentage": "percent", "percentage per year": "percent/year",
    "metre": "m", "kilometre": "km", "millimetre": "mm", "foot": "ft", "inch": "inch", "mile": "mile",
    "square kilometre": "km**2", "square metre": "m**2", "square mile": "mile**2", "cubic kilometre": "km**3",
    "metric ton": "tonne", "tonne": "tonne", "ton": "ton", "pound-mass": "lb", "kilogram": "kg",
    "year of age": "year", "month of age": "month", "week of age": "week", "day of age": "day",
    "celsius": "degC", "degree Celsius": "degC", "fahrenheit": "degF", "degree fahrenheit": "degF",
    "degree Fahrenheit": "degF", "kilometre per hour": "km/h", "mile per hour": "mile/hour",
    "barrel per day": "barrel/day", "dollar per share": "USD/share", "dollar per hour": "USD/hour",
}
_QUANTITY_NOUNS = {"people": "people", "point": "points"}
_QUANTITY_SCALE = {"dozen": 12, "gross": 144, "baker's dozen": 13, "cent": 0.01, "penny": 0.01, "dime": 0.1}
"""Annotated in the unit named ("a dozen" = 1 dozen); ledger states counts and money in whole units."""


def _quantity_unit(name: str | None) -> tuple[str | None, str | None]:
    """(unit, subject) for an annotator's unit name: known units mapped, pint names kept, nouns as subjects."""
    if name is None or name in _QUANTITY_UNITS:
        return _QUANTITY_UNITS.get(name), None
    if name in _QUANTITY_NOUNS:
        return None, _QUANTITY_NOUNS[name]
    parts = []
    for part in name.split(" per "):
        part = _QUANTITY_UNITS.get(part) or part
        part = re.sub(r"^inverse (\w+)", r"1/\1", part)
        part = re.sub(r"\bsquare (\w+)", r"\1**2", part)
        part = re.sub(r"\bcubic (\w+)", r"\1**3", part)
        parts.append(part.replace(" of arc", "").replace(" ", "_"))
    expr = "/".join(parts)
    if _pint_str(expr) is not None:
        return expr, None
    return None, name.split()[-1]  # "fighter jet", "spectator": a counted noun


def _not_a_fact(text: str, surface: str | None, value: float | None, unit: str | None) -> bool:
    """Our spec's non-facts among the annotated quantities: years, dates, identifiers."""
    if surface is None or unit not in ("dimensionless", None):
        return False
    s = surface.strip()
    if not re.fullmatch(r"\d+", s):
        return False
    at = text.find(s)
    before, after = text[:at], text[at + len(s):]
    if len(s) == 4 and 1000 <= int(s) <= 2100:
        return True  # a year
    if re.search(r"(?:\b[A-Z][\w-]*|\bno\.|\d)\s?$", before) and not re.search(r"[.!?:]\s*$", before):
        return True  # "Voyager 2", "English 101", "Core i7 860", "no. 1"
    return bool(re.match(r"[-\w]", after))  # "06F6", "860BOX"


def load_quantities(path: str | Path) -> list[dict[str, Any]]:
    """`quantities_dev.jsonl` as gold items (unit names mapped; years/identifiers dropped; no qualifiers)."""
    items = []
    for row in load_jsonl(path):
        facts = []
        for q in row.get("quantities", []):
            if _not_a_fact(row["text"], q.get("surface"), q.get("value"), q.get("unit")):
                continue
            unit, subject = _quantity_unit(q.get("unit"))
            fact: dict[str, Any] = {"surface": q.get("surface"), "value": q.get("value"), "unit": unit,
                                    "subject": subject, "qualifier": None}
            rng = q.get("range")
            if rng:
                fact["low"], fact["high"] = rng
                if fact["value"] is None:
                    fact["value"] = (rng[0] + rng[1]) / 2
            if fact["value"] is None:
                continue
            fact["value"] *= _QUANTITY_SCALE.get((q.get("unit") or "").split(" per ")[0], 1)  # "cent per share" too
            facts.append(fact)
        items.append({"id": row["id"], "text": row["text"], "facts": facts, "covers": [row.get("source", "-")]})
    return items


# --------------------------------------------------------------------------- reporting

def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def _row(name: str, c: Counts) -> list[Any]:
    return [name, c.sentences, c.gold, c.pred, c.matched, _pct(c.precision), _pct(c.recall), _pct(c.value_f1),
            _pct(c.unit_f1), _pct(c.qualifier_acc), _pct(c.subject_acc), _pct(c.bounds_acc)]


HEADERS = ["set", "sent", "gold", "pred", "match", "P", "R", "value F1", "+unit F1", "qual acc", "subj acc",
           "bounds acc"]


def format_scores(scores: Scores, title: str = "all", misses: int = 50) -> str:
    from tabulate import tabulate

    rows = [_row(title, scores)] + [_row(tag, c) for tag, c in sorted(scores.by_tag.items())]
    out = [tabulate(rows, headers=HEADERS, tablefmt="github")]
    if misses and scores.misses:
        shown = scores.misses[:misses]
        more = f" (first {misses})" if len(scores.misses) > misses else ""
        out.append(f"\n{len(scores.misses)} misses{more}:")
        out.append(tabulate([[m.id, m.kind, m.surface, m.gold, m.pred] for m in shown],
                            headers=["id", "kind", "surface", "gold", "predicted"], tablefmt="github",
                            disable_numparse=True))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ledger.extract.score", description=__doc__.split("\n")[0])
    parser.add_argument("dev", nargs="?", help="a dev set in dev_sentences.jsonl shape")
    parser.add_argument("--quantities", help="a quantities_dev.jsonl file (value F1 is the comparable figure)")
    parser.add_argument("--misses", type=int, default=50, help="how many misses to list (0: none)")
    args = parser.parse_args(argv)
    if not args.dev and not args.quantities:
        parser.error("give a dev set, --quantities, or both")
    try:
        from ledger.extract import extract_text
    except ImportError as e:
        print(f"no extractor to score: {e}")
        return 2
    if args.dev:
        print(format_scores(score(load_jsonl(args.dev), extract_text), Path(args.dev).name, args.misses))
    if args.quantities:
        print(format_scores(score(load_quantities(args.quantities), extract_text), "quantities", args.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
