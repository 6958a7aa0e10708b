"""Inline SVG charts for the HTML report: drawn on the server side, so they show without JavaScript.

- agreement: each figure's interval as a bar against the consensus band;
- monotonic: the series of values over `published` dates, the figures that break the order ringed.
"""

from __future__ import annotations

import math
from datetime import date

from ledger.model import Fact, Finding
from ledger.report.common import SHOWN_PER_FINDING, Index, escape_html, number

WIDTH = 760
LABEL = 200
RIGHT = 24
ROW = 28
BREAK_ROLES = ("breaks", "break", "breaking", "violations", "outliers", "outlier")


def _convert(value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    if (from_unit or "count") == (to_unit or "count"):
        return value
    try:
        from ledger.units import convert
        return convert(value, from_unit, to_unit)
    except Exception:  # any unit the registry cannot relate: the figure is left out of the chart
        return None


def _in_unit(fact: Fact, unit: str | None) -> tuple[float, float, float] | None:
    if (fact.unit or "count") == (unit or "count"):  # most figures: no conversion to try
        converted = [fact.low, fact.value, fact.high]
    else:
        converted = [_convert(v, fact.unit, unit) for v in (fact.low, fact.value, fact.high)]
    if any(v is None or math.isnan(v) for v in converted):
        return None
    return converted[0], converted[1], converted[2]  # type: ignore[return-value]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _domain(values: list[float]) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    low, high = min(finite), max(finite)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def compact(x: float | None) -> str:
    """Axis-friendly numbers: 1,500; 2.5 m; 1.2 bn."""
    if x is None or not math.isfinite(x):
        return number(x)
    for scale, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(x) >= scale:
            return f"{x / scale:.3g}{suffix}"
    return number(round(x, 6))


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(height: int, title: str, body: list[str]) -> str:
    return (f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape_html(title)}</title>' + "".join(body) + "</svg>")


def _article_label(index: Index, fact: Fact) -> str:
    article = index.articles.get(fact.article)
    name = (article.outlet or article.title or article.id) if article else fact.article
    return _short(name, 26)


def agreement_chart(finding: Finding, index: Index) -> str | None:
    """Every figure's interval as a bar, the consensus (`expected`) as a shaded band."""
    facts = index.involved_facts(finding)[:SHOWN_PER_FINDING]  # more bars than this say nothing more
    rows = []
    for fact in facts:
        bounds = _in_unit(fact, finding.unit)
        if bounds is not None:
            rows.append((fact, *bounds))
    if not rows:
        return None
    expected = finding.expected
    values = [v for _, low, value, high in rows for v in (low, value, high)]
    if expected is not None:
        values += [v for v in expected if v is not None]
    lo, hi = _domain(values)
    plot_left, plot_right = LABEL, WIDTH - RIGHT
    top = 30

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return plot_left + (v - lo) / (hi - lo) * (plot_right - plot_left)

    height = top + ROW * len(rows) + 34
    cited = set(finding.facts)  # an agreement may cite a thousand figures: not a scan of them per row
    body: list[str] = []
    if expected is not None:
        e_low = lo if expected[0] is None or math.isinf(expected[0]) else expected[0]
        e_high = hi if expected[1] is None or math.isinf(expected[1]) else expected[1]
        body.append(f'<rect class="consensus" x="{_fmt(x(e_low))}" y="{top - 8}" width="{_fmt(max(x(e_high) - x(e_low), 2))}" '
                    f'height="{ROW * len(rows) + 8}" rx="3"/>')
        body.append(f'<text class="consensus-label" x="{_fmt((x(e_low) + x(e_high)) / 2)}" y="{top - 12}" '
                    f'text-anchor="middle">consensus {escape_html(compact(expected[0]))}–{escape_html(compact(expected[1]))}</text>')
    for tick in nice_ticks(lo, hi):
        body.append(f'<line class="grid" x1="{_fmt(x(tick))}" x2="{_fmt(x(tick))}" y1="{top - 8}" y2="{top + ROW * len(rows)}"/>')
        body.append(f'<text class="tick" x="{_fmt(x(tick))}" y="{top + ROW * len(rows) + 16}" text-anchor="middle">'
                    f'{escape_html(compact(tick))}</text>')
    for n, (fact, low, value, high) in enumerate(rows):
        y = top + ROW * n + ROW / 2 - 4
        y_text = _fmt(y)
        agrees = expected is None or (
            (expected[1] is None or low <= expected[1]) and (expected[0] is None or high >= expected[0]))
        outlier = not agrees or (expected is None and finding.status == "fail" and fact.id in cited)
        cls = "bar out" if outlier else "bar ok"
        body.append(f'<a href="#fact-{escape_html(fact.id)}"><text class="label" x="{LABEL - 10}" y="{_fmt(y + 4)}" text-anchor="end">'
                    f'{escape_html(_article_label(index, fact))}: {escape_html(_short(fact.surface, 16))}</text></a>')
        body.append(f'<line class="{cls}" x1="{_fmt(x(low))}" x2="{_fmt(x(high))}" y1="{y_text}" y2="{y_text}"/>')
        if math.isinf(low):
            body.append(f'<path class="{cls} arrow" d="M{_fmt(plot_left + 6)} {_fmt(y - 5)} L{plot_left} {y_text} L{_fmt(plot_left + 6)} {_fmt(y + 5)}"/>')
        if math.isinf(high):
            body.append(f'<path class="{cls} arrow" d="M{_fmt(plot_right - 6)} {_fmt(y - 5)} L{plot_right} {y_text} L{_fmt(plot_right - 6)} {_fmt(y + 5)}"/>')
        body.append(f'<circle class="{"dot out" if outlier else "dot ok"}" cx="{_fmt(x(value))}" cy="{y_text}" r="4.5">'
                    f'<title>{escape_html(fact.surface)}: {escape_html(number(low))}–{escape_html(number(high))}</title></circle>')
    if finding.unit:
        body.append(f'<text class="tick unit" x="{plot_right}" y="{height - 4}" text-anchor="end">{escape_html(finding.unit)}</text>')
    return _svg(height, f"{finding.rule}: each figure against the consensus", body)


def _when(fact: Fact, index: Index) -> date | None:
    article = index.articles.get(fact.article)
    if article is not None and article.published is not None:
        return article.published
    return fact.as_of


def monotonic_chart(finding: Finding, index: Index) -> str | None:
    """Values over published dates (or in report order when dates are missing), breaking points ringed."""
    points = []
    for fact in index.involved_facts(finding):
        bounds = _in_unit(fact, finding.unit)
        if bounds is not None:
            points.append((_when(fact, index), fact, *bounds))
    if len(points) < 1:
        return None
    dated = all(p[0] is not None for p in points)
    points.sort(key=lambda p: ((p[0].toordinal() if dated else 0), p[1].article, p[1].start))
    breaks = _breaking(finding, points)
    top, bottom, left, right = 20, 56, 70, WIDTH - RIGHT
    height = 240
    values = [v for p in points for v in (p[2], p[3], p[4])]
    lo, hi = _domain(values)
    if dated and points[-1][0] != points[0][0]:
        first, last = points[0][0].toordinal(), points[-1][0].toordinal()  # type: ignore[union-attr]
        xs = [left + 20 + (p[0].toordinal() - first) / (last - first) * (right - left - 40) for p in points]  # type: ignore[union-attr]
    else:
        step = (right - left - 40) / max(len(points) - 1, 1)
        xs = [left + 20 + n * step for n in range(len(points))]

    def y(v: float) -> float:
        v = min(max(v, lo), hi)
        return top + (hi - v) / (hi - lo) * (height - top - bottom)

    body: list[str] = []
    for tick in nice_ticks(lo, hi):
        body.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{_fmt(y(tick))}" y2="{_fmt(y(tick))}"/>')
        body.append(f'<text class="tick" x="{left - 8}" y="{_fmt(y(tick) + 4)}" text-anchor="end">{escape_html(compact(tick))}</text>')
    body.append('<polyline class="series" points="' + " ".join(f"{_fmt(px)},{_fmt(y(p[3]))}" for px, p in zip(xs, points)) + '"/>')
    for px, (when, fact, low, value, high) in zip(xs, points):
        broken = fact.id in breaks
        body.append(f'<line class="whisker" x1="{_fmt(px)}" x2="{_fmt(px)}" y1="{_fmt(y(low))}" y2="{_fmt(y(high))}"/>')
        if broken:
            body.append(f'<circle class="break-ring" cx="{_fmt(px)}" cy="{_fmt(y(value))}" r="10"/>')
            body.append(f'<text class="break-label" x="{_fmt(px)}" y="{_fmt(y(value) - 14)}" text-anchor="middle">breaks the order</text>')
        label = when.isoformat() if when is not None else _short(fact.article, 14)
        body.append(f'<a href="#fact-{escape_html(fact.id)}"><circle class="{"dot out" if broken else "dot ok"}" cx="{_fmt(px)}" '
                    f'cy="{_fmt(y(value))}" r="5"><title>{escape_html(label)}: {escape_html(fact.surface)} '
                    f'({escape_html(number(low))}–{escape_html(number(high))})</title></circle></a>')
        body.append(f'<text class="tick" x="{_fmt(px)}" y="{height - bottom + 18}" text-anchor="middle">{escape_html(label)}</text>')
        body.append(f'<text class="tick small" x="{_fmt(px)}" y="{height - bottom + 32}" text-anchor="middle">'
                    f'{escape_html(_article_label(index, fact))}</text>')
    if finding.unit:
        body.append(f'<text class="tick unit" x="{left - 8}" y="12" text-anchor="end">{escape_html(finding.unit)}</text>')
    return _svg(height, f"{finding.rule}: the series over published dates", body)


def _breaking(finding: Finding, points: list) -> set[str]:
    """The facts that break the order: a role that names them, else the steps against the overall trend."""
    for role in BREAK_ROLES:
        if role in finding.roles:
            return set(finding.roles[role])
    if finding.status != "fail" or len(points) < 2:
        return set()
    values = [p[3] for p in points]
    trend = values[-1] - values[0]
    if trend == 0:
        trend = sum(b - a for a, b in zip(values, values[1:]))
    out = set()
    for previous, current in zip(points, points[1:]):
        step = current[3] - previous[3]
        if step and trend and (step > 0) != (trend > 0):
            out.add(current[1].id)
    if not out:
        out = {fact_id for fact_id in finding.facts}
    return out


def chart(finding: Finding, index: Index) -> str | None:
    if finding.kind == "agreement":
        return agreement_chart(finding, index)
    if finding.kind == "monotonic":
        return monotonic_chart(finding, index)
    return None
