"""Score the extractor against /work/shared/dev/quantities_dev.jsonl (value, value+unit F1; errors listed).

Run: python benchmarks/score_dev.py [--errors] [--raw]   (--raw keeps gold years, which our spec drops)
Gold units are annotator names ("pound sterling", "metre"); they are mapped to ours by a small table.
Gold years and bare identifiers are facts there but not in our spec, so they are reported separately.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ledger.extract import extract_text
from ledger.extract.subjects import lemma as singular

DEV = Path("/work/shared/dev/quantities_dev.jsonl")
GOLD_UNITS = {
    "dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "chinese yuan": "CNY", "japanese yen": "JPY",
    "canadian dollar": "CAD", "australian dollar": "AUD", "hong kong dollar": "HKD", "swiss franc": "CHF",
    "turkish lira": "TRY", "rupee": "INR", "mexican peso": "MXN", "bitcoin": "BTC", "percentage": "percent",
    "metre": "m", "kilometre": "km", "mile": "mile", "inch": "inch", "foot": "foot", "year": "year",
    "month": "month", "day": "day", "hour": "hour", "week": "week", "minute": "minute", "gallon": "gallon",
    "kilogram": "kg", "milligram": "mg", "microgram": "ug", "pound-mass": "lb", "metric ton": "tonne",
    "tonne": "tonne", "ton": "ton", "square kilometre": "km**2", "square metre": "m**2", "square mile": "mile**2",
    "cubic kilometre": "km**3", "kilometre per hour": "km/hour", "litre": "liter", "celsius": "degC",
    "degree Celsius": "degC", "fahrenheit": "degF", "degree fahrenheit": "degF", "degree Fahrenheit": "degF",
    "kelvin": "kelvin", "degree": "degree", "year of age": "year", "month of age": "month", "week of age": "week",
    "day of age": "day", "dollar per share": "USD/share", "dollar per hour": "USD/hour", "cent": "USD",
    "penny": "GBP", "cup": "cup", "tablespoon": "tablespoon", "teaspoon": "teaspoon", "millimetre": "mm",
    "nanometre": "nm", "picometre": "pm", "megabyte": "MB", "megabit": "megabit", "electronvolt": "eV",
    "teraelectronvolt": "TeV", "watt": "W", "watt hour": "Wh", "megawatt hour": "MWh", "gigahertz": "GHz",
    "metric ton per year": "tonne/year", "percentage per year": "percent/year", "cent per share": "USD/share",
    "canadian dollar per share": "CAD/share", "swiss franc per share": "CHF/share", "dollar per kilogram": "USD/kg",
    "count per week": "1/week", "penny per share": "GBP/share", "centilitre": "cL", "gray": "Gy",
    "milligray": "mGy", "byte": "byte", "exabyte": "EB", "centimetre": "cm", "ounce": "oz", "acre": "acre",
    "millilitre": "mL", "mile per hour": "mile/hour", "barrel per day": "barrel/day", "cubic foot": "ft**3",
    "gallon per year": "gallon/year", "new zealand dollar": "NZD", "picometre": "pm", "decimetre": "dm", "cubic centimetre": "mL", "kilobit per second": "kbit/s",
}
SPEC = "--raw" not in sys.argv
SUB_UNITS = {"cent": 0.01, "penny": 0.01, "cent per share": 0.01, "penny per share": 0.01}


def main() -> None:
    show = "--errors" in sys.argv
    tp = fp = fn = tp_unit = 0
    for line in DEV.read_text().splitlines():
        item = json.loads(line)
        facts = extract_text(item["text"])
        gold = []
        for q in item["quantities"]:
            if SPEC and q["unit"] == "dimensionless" and q["value"] is not None and 1100 <= q["value"] <= 2100 \
                    and float(q["value"]).is_integer():
                continue  # a year: not a fact in our spec
            value = q["value"] if q["value"] is not None else sum(q["range"]) / 2
            value *= SUB_UNITS.get(q["unit"] or "", 1)
            gold.append((value, q["unit"], q.get("surface")))
        used = set()
        errors = []
        for value, unit, surface in gold:
            hit = None
            for i, f in enumerate(facts):
                if i not in used and abs(f.value - value) <= 0.005 * max(abs(value), 1e-9):
                    hit = i
                    break
            if hit is None:
                fn += 1
                errors.append(f"  MISS {surface!r} {value} {unit}")
                continue
            used.add(hit)
            tp += 1
            f = facts[hit]
            want = GOLD_UNITS.get(unit or "", None)
            ours = f.unit if f.unit is not None else f.lemma
            gold_noun = singular((unit or "").split()[-1]) if unit else ""
            if (want is not None and want == f.unit) or (unit in ("dimensionless", "count", None) and f.unit in (None, "fraction")) \
                    or (want is None and unit and f.unit is None and f.lemma and (f.lemma[:4] == gold_noun[:4])):
                tp_unit += 1
            else:
                errors.append(f"  UNIT {surface!r} gold={unit} ours={ours} ({f.surface!r})")
        for i, f in enumerate(facts):
            if i not in used:
                fp += 1
                errors.append(f"  EXTRA {f.surface!r} {f.value} {f.unit} {f.qualifier} subj={f.subject}")
        if show and errors:
            print(item["source"][:10], item["text"][:200])
            print("\n".join(errors))
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    pu = tp_unit / max(tp + fp, 1)
    ru = tp_unit / max(tp + fn, 1)
    print(f"value:      P={p:.3f} R={r:.3f} F1={2 * p * r / max(p + r, 1e-9):.3f}  (tp={tp} fp={fp} fn={fn})")
    print(f"value+unit: P={pu:.3f} R={ru:.3f} F1={2 * pu * ru / max(pu + ru, 1e-9):.3f}")


if __name__ == "__main__":
    main()
