"""Reports built by hand for the formatter tests (tests reach them through the fixtures at the end:
pytest runs with --import-mode=importlib, so test modules cannot import this file): real seed text, a cross-article agreement,
a death-toll series that falls, and a hostile article that tries to run script in the HTML page."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from ledger.model import Article, Fact, Finding, Report, RuleInfo, fact_id

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "wagner-north-korea-arms.md"

HOSTILE_TEXT = (
    "Officials said 5 people were hurt. <script>document.title='PWNED';"
    "document.documentElement.setAttribute('data-pwned','script')</script>\n"
    "A photo <img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\"> "
    "showed 12 ambulances & \"quoted\" text, | pipes | and `ticks` **stars** ~tildes~.\n"
)


def _front_matter(text: str) -> tuple[str, int]:
    lines = text.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return "\n".join(lines[end + 1:]), end + 1


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    left = 0 if left == -1 else left + (2 if text[left] == "." else 1)
    ends = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(ends) + 1 if ends else len(text)
    if right > 0 and text[right - 1] == "\n":
        right -= 1
    return text[left:right]


def make_fact(article: Article, surface: str, value: float, low: float | None = None, high: float | None = None,
              occurrence: int = 0, **fields) -> Fact:
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(surface, start + 1)
    end = start + len(surface)
    line, column = article.line_column(start)
    return Fact(id=fact_id(article.id, start, end, surface), article=article.id, start=start, end=end, line=line,
                column=column, surface=surface, sentence=_sentence(article.text, start, end), value=value,
                low=value if low is None else low, high=value if high is None else high, **fields)


def article_files() -> dict[str, str]:
    """path -> file content, for the articles that exist as files (the seed and the hostile one)."""
    return {
        "seeds/wagner-north-korea-arms.md": SEED.read_text(encoding="utf-8"),
        "corpus/hostile.md": "---\ntitle: \"<script>alert('title')</script> Hostile\"\n---\n" + HOSTILE_TEXT,
    }


def make_report() -> Report:
    seed_text, seed_offset = _front_matter(SEED.read_text(encoding="utf-8"))
    wagner = Article(id="wagner-north-korea-arms", path="seeds/wagner-north-korea-arms.md", text=seed_text,
                     title="White House says North Korea delivered arms to the Wagner Group",
                     published=date(2022, 12, 22), line_offset=seed_offset, outlet="The Times",
                     meta={"source_file": "000_4c107255e10e0001.txt"})
    hostile = Article(id="hostile", path="corpus/hostile.md", text=HOSTILE_TEXT,
                      title="<script>alert('title')</script> Hostile", line_offset=3,
                      outlet="<img src=x onerror=alert(1)>", url="javascript:alert(1)")
    tolls = [
        Article(id=f"toll-{n}", path=f"corpus/toll-{n}.md", text=text, title=f"Update {n}: the toll",
                published=date(2023, 1, day), line_offset=4, outlet=outlet)
        for n, (text, day, outlet) in enumerate([
            ("The quake has killed 1,200 people, officials said.", 2, "Daily A"),
            ("By Thursday the quake had killed more than 1,500 people.", 5, "Daily B"),
            ("The toll stood at about 1,350 people on Monday.", 9, "Daily C"),
        ], start=1)
    ]
    spend = [
        Article(id="spend-low", path="corpus/spend-low.md", text="Wagner spends about $1.1 billion a year on the war.",
                published=date(2023, 1, 3), line_offset=2, outlet="Weekly"),
        Article(id="spend-high", path="corpus/spend-high.md",
                text="Analysts put the group's spending at $3 billion a year.", published=date(2023, 1, 4),
                line_offset=2, outlet="Review"),
    ]

    people = make_fact(wagner, "about 50,000 people", 50000, 45000, 55000, qualifier="approx", subject="people",
                       lemma="person", entity="Wagner")
    contractors = make_fact(wagner, "10,000 contractors", 10000, subject="contractors", lemma="contractor")
    inmates = make_fact(wagner, "about 40,000 inmates", 40000, 36000, 44000, qualifier="approx", subject="inmates",
                        lemma="inmate")
    monthly = make_fact(wagner, "about $100 million a month", 1e8, 9e7, 1.1e8, qualifier="approx", unit="USD/month",
                        dimension="currency")
    hurt = make_fact(hostile, "5 people", 5, subject="people")
    ambulances = make_fact(hostile, "12 ambulances", 12, subject="ambulances")
    toll1 = make_fact(tolls[0], "1,200 people", 1200, subject="people")
    toll2 = make_fact(tolls[1], "more than 1,500 people", 1500, 1500, math.inf, qualifier="more_than", subject="people")
    toll3 = make_fact(tolls[2], "about 1,350 people", 1350, 1215, 1485, qualifier="approx", subject="people")
    low = make_fact(spend[0], "about $1.1 billion a year", 1.1e9, 0.99e9, 1.21e9, qualifier="approx",
                    unit="USD/year", dimension="currency")
    high = make_fact(spend[1], "$3 billion a year", 3e9, unit="USD/year", dimension="currency")

    rules = (
        RuleInfo(id="wagner.force.composition", kind="sum", description="Contractors and inmates make up Wagner's force.",
                 file="rules/wagner.yaml", line=4, column=5),
        RuleInfo(id="wagner.spending.agrees", kind="agreement", description="Reports of Wagner's spending agree.",
                 file="rules/wagner.yaml", line=12, column=5),
        RuleInfo(id="quake.toll.rises", kind="monotonic", severity="warning",
                 description="A cumulative death toll never falls between reports.", file="rules/quake.yaml", line=2,
                 column=5),
        RuleInfo(id="hostile.bounds", kind="bounds", severity="info",
                 description="Casualty counts are < 1000 <script>alert('rule')</script>", file="rules/hostile.yaml",
                 line=1, column=3, tags=("test",)),
        RuleInfo(id="hostile.sum", kind="sum", description="Never matches anything."),
        RuleInfo(id="unused.rule", kind="bounds", severity="warning", description="A rule with no findings."),
    )
    findings = (
        Finding(rule="wagner.force.composition", kind="sum", severity="error", status="pass",
                message="10,000 contractors + about 40,000 inmates agree with about 50,000 people",
                group={"article": wagner.id}, articles=(wagner.id,), facts=(people.id, contractors.id, inmates.id),
                expected=(45000, 55000), actual=(45800, 54200),
                work="10,000 + ~40,000 = 45,800–54,200 vs ~50,000 (45,000–55,000)",
                roles={"total": (people.id,), "parts": (contractors.id, inmates.id)}),
        Finding(rule="wagner.spending.agrees", kind="agreement", severity="error", status="fail",
                message="$3 billion a year disagrees with the consensus of about $1.1–1.2 billion a year",
                group={}, articles=(spend[1].id,), facts=(high.id,), expected=(1.08e9, 1.32e9), actual=(3e9, 3e9),
                unit="USD/year", work="$3,000,000,000 vs consensus 1,080,000,000–1,320,000,000 USD/year",
                roles={"consensus": (monthly.id, low.id), "outliers": (high.id,)}),
        Finding(rule="quake.toll.rises", kind="monotonic", severity="warning", status="fail",
                message="The toll falls from more than 1,500 (2023-01-05) to about 1,350 (2023-01-09)",
                group={}, articles=(tolls[1].id, tolls[2].id), facts=(toll3.id, toll2.id),
                expected=(1500, None), actual=(1215, 1485),
                work="~1,350 (1,215–1,485) after >1,500 (1,500–∞): not non_decreasing",
                roles={"series": (toll1.id, toll2.id, toll3.id), "breaks": (toll3.id,)}),
        Finding(rule="hostile.bounds", kind="bounds", severity="info", status="fail",
                message="<b>12 ambulances</b> is above the maximum of 10 & more",
                group={"article": hostile.id}, articles=(hostile.id,), facts=(ambulances.id,),
                expected=(0, 10), actual=(12, 12), work="12 > 10"),
        Finding(rule="hostile.bounds", kind="bounds", severity="info", status="pass",
                message="5 people is within bounds", group={"article": hostile.id}, articles=(hostile.id,),
                facts=(hurt.id,), expected=(0, 10), actual=(5, 5), work="0 <= 5 <= 10"),
        Finding(rule="hostile.sum", kind="sum", severity="error", status="skipped",
                message="role 'total' matched no fact in <script>x</script>", group={"article": hostile.id},
                articles=(hostile.id,)),
        Finding(rule="wagner.force.composition", kind="sum", severity="error", status="waived",
                message="The company's African deployments are not counted", group={"article": tolls[0].id},
                articles=(tolls[0].id,), facts=(toll1.id,), waiver="Known gap, see the desk note of 2023-01-02"),
    )
    facts = (people, contractors, inmates, monthly, hurt, ambulances, toll1, toll2, toll3, low, high)
    return Report(findings=findings, rules=rules, articles=(wagner, hostile, *tolls, *spend), facts=facts,
                  errors=("corpus/broken.md: not valid UTF-8 text (byte 12)",))


# -- pytest fixtures -----------------------------------------------------------
import pytest  # noqa: E402


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def corpus_root(tmp_path: Path) -> Path:
    """A folder holding the article files at their report paths (for re-reading texts)."""
    root = tmp_path / "project"
    for name, content in article_files().items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_fact_report() -> Report:
    """One article whose sentence would be a formula in a spreadsheet."""
    article = Article(id="formula", path="corpus/formula.md", text='=HYPERLINK("http://x") -5 degrees')
    return Report(articles=(article,), facts=(make_fact(article, "-5", -5.0, unit="degC"),))


@pytest.fixture(name="make_fact")
def make_fact_fixture():
    return make_fact


@pytest.fixture(name="article_files")
def article_files_fixture() -> dict[str, str]:
    return article_files()


@pytest.fixture
def quiet(monkeypatch, capsys, tmp_path):
    """`ledger check` run in `tmp_path` as in CI (no progress line), with no configuration from outside."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("LEDGER_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    yield
    capsys.readouterr()
