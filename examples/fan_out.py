"""Fan extraction out over many workers with Dask, then run one check over the gathered facts.

    pip install 'dask[distributed]'
    python examples/fan_out.py ARCHIVE_OR_FOLDER --shards 8 [--scheduler tcp://host:8786]

Each task runs `ledger extract PATH --shard I/N --format jsonl` (a stable 1/N of the articles by a
hash of their id) and writes its facts to `shards/I.jsonl`; the gather step is
`ledger check PATH --facts shards/*.jsonl`, which reads the articles' metadata but extracts nothing.
Any engine that can run a command per shard (Ray, Spark, a CI matrix) follows the same contract.
Without Dask installed, the same tasks run on a local process pool.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def extract_shard(path: str, index: int, count: int, out_dir: str) -> str:
    out = Path(out_dir) / f"{index}.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-m", "ledger", "extract", path, "--shard", f"{index}/{count}",
                        "--format", "jsonl", "--no-cache", "--jobs", "1"], stdout=handle, check=True)
    return str(out)


def main() -> int:
    parser = argparse.ArgumentParser(description="Fan ledger extraction out with Dask and gather one check.")
    parser.add_argument("path", help="articles: a folder or a .jsonl archive")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--out", default="shards", help="folder for the shard files")
    parser.add_argument("--scheduler", help="a Dask scheduler address (default: a local cluster)")
    args = parser.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    tasks = [(args.path, i, args.shards, args.out) for i in range(1, args.shards + 1)]
    try:
        from dask.distributed import Client
    except ImportError:
        from concurrent.futures import ProcessPoolExecutor

        print("dask not installed: running the shards on a local process pool", file=sys.stderr)
        with ProcessPoolExecutor() as pool:
            files = list(pool.map(extract_shard, *zip(*tasks)))
    else:
        with Client(args.scheduler) if args.scheduler else Client(processes=True) as client:
            files = client.gather(client.map(extract_shard, *zip(*tasks), pure=False))
    return subprocess.run([sys.executable, "-m", "ledger", "check", args.path, "--facts", *files]).returncode


if __name__ == "__main__":
    raise SystemExit(main())
