#!/usr/bin/env python3
"""Runtime benchmark (run by hand, not by ctest): strata::Migrator against psql and libpq floors.

    bench/runtime/bench.py [--runs 5]

Prints medians over --runs runs, every run on its own fresh database, whole-process wall times:
  1. applying 1,000 small migrations (gen_corpus.py --n 1000): strata vs `psql -X -q -f
     psql/ideal.sql` (per migration BEGIN; sql; INSERT history; COMMIT) and the libpq rt1 floor;
  2. applying one 5 MB migration: strata vs one PQexec of the file (apply_libpq rt1);
  3. a no-op start with 1,000 applied: strata vs noop_libpq (connect, lock, read, unlock);
  4. the round trips of that no-op start (libpq protocol trace of the strata run).
Uses DATABASE_URL when set, else starts a throwaway cluster with tests/support/pg-cluster.
Builds the runtime in Release into build-bench/ (STRATA_BENCH_BUILD overrides; STRATA_BENCH_SOURCE
overrides the source tree it configures).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("STRATA_BENCH_SHARED", "/work/shared/bench"))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def pg_flags():
    inc = subprocess.run(["pg_config", "--includedir"], capture_output=True, text=True).stdout.strip()
    return ["-I" + inc, "-lpq"]


def build(work):
    source = Path(os.environ.get("STRATA_BENCH_SOURCE", ROOT))
    bdir = Path(os.environ.get("STRATA_BENCH_BUILD", ROOT / "build-bench"))
    run(["cmake", "-S", str(source), "-B", str(bdir), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
         "-DSTRATA_BUILD_TESTS=OFF", "-DSTRATA_BUILD_EXAMPLES=OFF", "-DSTRATA_INSTALL=OFF"],
        stdout=subprocess.DEVNULL)
    run(["cmake", "--build", str(bdir), "--target", "strata_runtime", "-j2"], stdout=subprocess.DEVNULL)
    driver = work / "strata_bench_apply"
    run(["c++", "-O2", "-std=c++20", "-I", str(ROOT / "runtime/include"),
         str(ROOT / "bench/runtime/apply_folder.cpp"), str(bdir / "runtime/libstrata_runtime.a"),
         "-o", str(driver)] + pg_flags())
    for name in ("apply_libpq", "noop_libpq"):
        run(["cc", "-O2", str(SHARED / (name + ".c")), "-o", str(work / name)] + pg_flags())
    return driver


class Cluster:
    def __init__(self, work):
        self.handle = None
        self.url = os.environ.get("DATABASE_URL")
        if not self.url:
            self.handle = work / "cluster.handle"
            run([str(ROOT / "tests/support/pg-cluster"), "start", str(self.handle)],
                stdout=subprocess.DEVNULL)
            for line in self.handle.read_text().splitlines():
                if line.startswith("DATABASE_URL="):
                    self.url = line.split("=", 1)[1]
        self.count = 0

    def stop(self):
        if self.handle:
            run([str(ROOT / "tests/support/pg-cluster"), "stop", str(self.handle)],
                stdout=subprocess.DEVNULL)

    def url_for(self, db):
        head, _, tail = self.url.rpartition("/")
        query = tail[tail.find("?"):] if "?" in tail else ""
        return head + "/" + db + query

    def sql(self, text):
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", text],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fresh(self):
        self.count += 1
        name = f"strata_bench_{os.getpid()}_{self.count}"
        self.sql(f"CREATE DATABASE {name}")
        return name

    def drop(self, name):
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def timed(cmd):
    start = time.perf_counter()
    run(cmd, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="strata-bench-"))
    try:
        driver = build(work)
        small, big = work / "small", work / "big"
        run([str(SHARED / "gen_corpus.py"), "--out", str(small), "--n", "1000"], stdout=subprocess.DEVNULL)
        run([str(SHARED / "gen_corpus.py"), "--out", str(big), "--big"], stdout=subprocess.DEVNULL)
        cluster = Cluster(work)
        try:
            results = measure(cluster, driver, work, small, big, args.runs)
        finally:
            cluster.stop()
        report(results, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(cluster, driver, work, small, big, runs):
    cases = {
        "strata 1000": lambda url: [str(driver), url, str(small)],
        "psql ideal 1000": lambda url: ["psql", "-X", "-q", "-f", str(small / "psql/ideal.sql"), url],
        "libpq rt1 1000": lambda url: [str(work / "apply_libpq"), "rt1", url, str(small)],
        "strata 5MB": lambda url: [str(driver), url, str(big)],
        "libpq rt1 5MB": lambda url: [str(work / "apply_libpq"), "rt1", url, str(big)],
    }
    results = {name: [] for name in cases}
    results["strata no-op"] = []
    results["libpq no-op floor"] = []
    applied_db = None
    for i in range(runs):
        for name, cmd in cases.items():
            db = cluster.fresh()
            results[name].append(timed(cmd(cluster.url_for(db))))
            if name == "strata 1000" and applied_db is None:
                applied_db = db
            else:
                cluster.drop(db)
        print(f"run {i + 1}/{runs} done", file=sys.stderr)
    url = cluster.url_for(applied_db)
    for _ in range(runs * 4):
        results["strata no-op"].append(timed([str(driver), url, str(small), "--no-bodies"]))
        results["libpq no-op floor"].append(timed([str(work / "noop_libpq"), url, "strata_migrations"]))
    trips = subprocess.run([str(driver), url, str(small), "--count-round-trips"], check=True,
                           capture_output=True, text=True).stdout.strip()
    results["round trips"] = trips
    cluster.drop(applied_db)
    return results


def report(results, runs):
    med = {k: statistics.median(v) for k, v in results.items() if isinstance(v, list)}
    print(f"\nmedians over {runs} runs (no-op: {runs * 4} runs), wall time per process\n")
    for name, value in med.items():
        print(f"  {name:<20} {value * 1000:9.1f} ms")
    print()
    print(f"  strata / psql ideal (1000 migrations): {med['strata 1000'] / med['psql ideal 1000']:.2f}   (target <= 1.0)")
    print(f"  strata / libpq rt1 (1000 migrations):  {med['strata 1000'] / med['libpq rt1 1000']:.2f}")
    print(f"  strata / one PQexec (5 MB):            {med['strata 5MB'] / med['libpq rt1 5MB']:.2f}   (target <= 1.1)")
    print(f"  strata no-op / libpq floor:            {med['strata no-op'] / med['libpq no-op floor']:.2f}   (target <= 1.5)")
    print(f"  no-op {results['round trips']} after connecting (target <= 2)")


if __name__ == "__main__":
    main()
