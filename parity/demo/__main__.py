"""``python -m parity.demo --output FILE [--entities N] [--seed S] [--flows FILE]``: write the
synthetic demo data set as long-format CSV (gzipped when FILE ends in .gz)."""

from __future__ import annotations

import argparse
from pathlib import Path

from parity.demo.simulation import generate_with_flows


def main() -> None:
    """Write the staffing file (and the flows file, if asked) of the demo data set."""
    parser = argparse.ArgumentParser(description="Write the synthetic demo data set.")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--entities", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2028)
    parser.add_argument("--flows", type=Path, help="also write the flows file here")
    args = parser.parse_args()
    staff, flows = generate_with_flows(args.entities, args.seed)
    for frame, path in ((staff, args.output), (flows, args.flows)):
        if path is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        compression = {"method": "gzip", "mtime": 0} if path.suffix == ".gz" else None
        frame.to_csv(path, index=False, compression=compression)
        print(f"wrote {len(frame):,} rows to {path}")


if __name__ == "__main__":
    main()
