"""Degrees with no scale named: a temperature or an angle, told apart by the words around them.

"Temperatures reached 40 degrees" and "minus 5 degrees" are temperatures; "turned 180 degrees" and "a 45-degree
angle" are angles. A temperature whose scale is not named takes the unit `temperature_degree`, which converts to
neither °C nor °F, unless the article names one scale for its other temperatures ("40 degrees Celsius on Monday,
38 degrees on Tuesday").
"""

from __future__ import annotations

import re

from ledger.model import Fact

UNNAMED_SCALE = "temperature_degree"
NAMED_SCALES = frozenset({"degC", "degF"})

TEMPERATURE_CUE_RE = re.compile(
    r"(?i:\b(?:temperatures?|temps?|heat|heatwaves?|hot|hotter|hottest|warm|warmer|warmest|warming|warmth|cold|colder"
    r"|coldest|cool|cooler|coolest|cooling|chill|chilly|freezing|frost|frosty|thermometers?|thermostats?|mercury"
    r"|weather|forecasts?|forecasters?|highs?|lows?|fever|ovens?|boil|boiling|melting|celsius|fahrenheit|centigrade"
    r"|zero|sweltering|scorching|balmy|muggy|humid|humidity|climate)\b)|°[ \t]?[CF]\b"
)
"""Words near a figure in degrees that make it a temperature."""
ANGLE_CUE_RE = re.compile(
    r"(?i:\b(?:angles?|angled|turns?|turned|turning|u-turn|rotate|rotates|rotated|rotating|rotation|tilt|tilts"
    r"|tilted|tilting|spin|spins|spun|pivot|pivoted|slopes?|sloped|incline|inclined|gradient|pitch|latitude|longitude"
    r"|bearing|compass|arc|view|views|panorama|reversal|flip|about-face|lean|leans|leaned|leaning|bend|bent|swivel"
    r"|swing|swung|steep)\b)"
)
"""Words near a figure in degrees that make it an angle, when nearer than any temperature word."""
DAY_AFTER_RE = re.compile(r"[ \t]+(?i:days?|weather|heat|temperatures?|mark|readings?)\b")
""" "a 100-degree day", "topped the 100-degree mark": a temperature, whatever else is near."""
SCALE_AFTER_RE = re.compile(r"[ \t]+(?i:on[ \t]+the[ \t]+)(?P<scale>(?i:celsius|centigrade|fahrenheit))[ \t]+(?i:scale)\b")
""" "−273.15° on the Celsius scale": the scale named after the figure."""
CLAUSE_BREAK_RE = re.compile(r"[.!?;]\s|\n")
WINDOW = 80


def unit_of_degrees(text: str, start: int, end: int, negative: bool) -> str:
    """The unit of the figure text[start:end], written in degrees with no scale: "degree" (an angle), "degC" or
    "degF" (a scale named after it), or `UNNAMED_SCALE`."""
    scale = SCALE_AFTER_RE.match(text, end)
    if scale is not None:
        return "degF" if scale.group("scale").lower() == "fahrenheit" else "degC"
    return UNNAMED_SCALE if _is_temperature(text, start, end, negative) else "degree"


def _is_temperature(text: str, start: int, end: int, negative: bool) -> bool:
    if DAY_AFTER_RE.match(text, end):
        return True
    before = text[max(0, start - WINDOW):start]
    breaks = list(CLAUSE_BREAK_RE.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    after = text[end:end + WINDOW]
    cut = CLAUSE_BREAK_RE.search(after)
    if cut:
        after = after[:cut.start()]
    temperature = _nearest(TEMPERATURE_CUE_RE, before, after)
    angle = _nearest(ANGLE_CUE_RE, before, after)
    if temperature is not None and (angle is None or temperature <= angle):
        return True
    return angle is None and negative  # "minus 5 degrees": an angle is seldom told below zero


def _nearest(cue: re.Pattern[str], before: str, after: str) -> int | None:
    """How far the nearest cue stands from the figure, in characters (None: no cue)."""
    distances = [len(before) - m.end() for m in cue.finditer(before)] + [m.start() for m in cue.finditer(after)]
    return min(distances) if distances else None


def name_scales(facts: list[Fact]) -> list[Fact]:
    """Temperatures in unnamed degrees take the scale that all the article's named temperatures share."""
    if not any(fact.unit == UNNAMED_SCALE for fact in facts):
        return facts
    named = {fact.unit for fact in facts if fact.unit in NAMED_SCALES}
    if len(named) != 1:
        return facts  # none named, or both: no guess
    scale = named.pop()
    return [fact.model_copy(update={"unit": scale}) if fact.unit == UNNAMED_SCALE else fact for fact in facts]
