"""Linear time on pathological text: extraction time at 1x, 10x and 100x the size of each input.

    python benchmarks/pathological.py [--base-kb 10]

Prints seconds and the growth ratio per 10x step; linear is ~10x. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger.extract import extract_text  # noqa: E402

SHAPES = {
    "digits and commas (1,1,1,...)": lambda n: ("1," * n)[:n],
    "one run of digits": lambda n: "9" * n,
    "one 100,000-word sentence": lambda n: ("the council said about 40 people and " * (n // 37 + 1))[:n],
    "repeated qualifiers": lambda n: ("about nearly more than at least up to roughly " * (n // 48 + 1))[:n] + " 5 people",
    "figures and dots": lambda n: ("1.2.3.4.5 $ % k m bn " * (n // 21 + 1))[:n],
    "scale words without numbers": lambda n: ("million billion thousand dozens hundreds of thousands " * (n // 54 + 1))[:n],
    "dense news figures": lambda n: ("Wagner has about 50,000 people, including 10,000 contractors. " * (n // 64 + 1))[:n],
}


def timed(text: str) -> float:
    start = time.perf_counter()
    extract_text(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-kb", type=int, default=10, help="size of the 1x input in KB")
    args = parser.parse_args()
    base = args.base_kb * 1000
    print(f"{'input':<32} {'1x s':>8} {'10x s':>8} {'100x s':>8} {'10x/1x':>7} {'100x/10x':>8}")
    for name, make in SHAPES.items():
        times = [timed(make(base * k)) for k in (1, 10, 100)]
        print(f"{name:<32} {times[0]:>8.3f} {times[1]:>8.3f} {times[2]:>8.3f} "
              f"{times[1] / max(times[0], 1e-9):>7.1f} {times[2] / max(times[1], 1e-9):>8.1f}")


if __name__ == "__main__":
    main()
