#!/usr/bin/env python3
"""Fleet benchmark (run by hand, not by ctest): one `strata up` over many tenant databases.

    bench/fleet/run.py [--tenants 50] [--migrations 30] [--runs 3] [--strata build/generator/strata]

Migrates N fresh databases x M small migrations three ways, side by side, each on freshly
recreated databases, and prints the median wall time of each and the ratios:
  1. strata up --each-database PATTERN --jobs 1
  2. strata up --each-database PATTERN --jobs 4
  3. what users do today: one `strata up --url …` per database through `xargs -P 4`.
Uses DATABASE_URL when set, else starts a throwaway cluster with tests/support/pg-cluster.
Prints the machine's load average before and after.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

sys.path.insert(0, str(ROOT / "bench"))
from pg_cluster import Cluster  # noqa: E402


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def psql(url, sql):
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        stdout=subprocess.DEVNULL, env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})


def with_database(url, name):
    head, _, tail = url.rpartition("/")
    query = tail[tail.index("?"):] if "?" in tail else ""
    return f"{head}/{name}{query}"


def write_migrations(folder, count):
    folder.mkdir(parents=True)
    for i in range(1, count + 1):
        version = f"2026010100{i:04d}"
        (folder / f"{version}_table_{i}.sql").write_text(
            "-- migrate:up\n"
            f"CREATE TABLE t{i} (id bigserial PRIMARY KEY, name text NOT NULL, "
            f"created_at timestamptz NOT NULL DEFAULT now());\n"
            f"CREATE INDEX t{i}_name ON t{i} (name);\n"
            f"INSERT INTO t{i} (name) SELECT 'row ' || g FROM generate_series(1, 100) g;\n"
            "-- migrate:down\n"
            f"DROP TABLE t{i};\n")


def recreate(url, names):
    for name in names:
        psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(url, f'CREATE DATABASE "{name}"')


def timed(cmd, **kw):
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stdout}{result.stderr}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--migrations", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--strata", default=str(ROOT / "build/generator/strata"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="strata-fleet-bench-"))
    cluster = Cluster(work)  # DATABASE_URL when set, else a throwaway cluster
    url = cluster.url
    try:
        folder = work / "migrations"
        write_migrations(folder, args.migrations)
        names = [f"fleet_bench_{i:03d}" for i in range(args.tenants)]
        urls_file = work / "urls.txt"
        urls_file.write_text("".join(with_database(url, n) + "\n" for n in names))
        common = ["up", "-d", str(folder), "--quiet"]
        ways = {
            "--jobs 1": lambda: timed([args.strata, *common, "--url", url,
                                       "--each-database", "fleet\\_bench\\_%", "--jobs", "1"]),
            "--jobs 4": lambda: timed([args.strata, *common, "--url", url,
                                       "--each-database", "fleet\\_bench\\_%", "--jobs", "4"]),
            "xargs -P 4": lambda: timed(
                ["sh", "-c", f'xargs -P 4 -I URL "{args.strata}" {" ".join(common)} --url URL '
                             f'< "{urls_file}"']),
        }
        print(f"{args.tenants} databases x {args.migrations} migrations, median of {args.runs} "
              f"runs; load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
        times = {name: [] for name in ways}
        for _ in range(args.runs):
            for name, way in ways.items():  # interleaved, so load drifts hit every way alike
                recreate(url, names)
                times[name].append(way())
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, value in medians.items():
            print(f"  {name:<11} {value:7.2f} s   (runs: {', '.join(f'{v:.2f}' for v in times[name])})")
        print(f"  --jobs 4 / --jobs 1   = {medians['--jobs 4'] / medians['--jobs 1']:.2f}  (target <= 0.40)")
        print(f"  --jobs 4 / xargs -P 4 = {medians['--jobs 4'] / medians['xargs -P 4']:.2f}  (target <= 1.00)")
        print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
        for name in names:
            psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
