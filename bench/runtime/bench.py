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
sys.path.insert(0, str(ROOT / "bench"))
from pg_cluster import Cluster  # noqa: E402
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
    """Each group is timed back to back, in an order that rotates every run, each command on its
    own fresh database; ratios are taken within a group, so load from other processes on the
    machine hits both sides of a ratio alike."""
    def apply_case(cmd):
        def run_case():
            db = cluster.fresh()
            try:
                return timed(cmd(cluster.url_for(db)))
            finally:
                cluster.drop(db)
        return run_case

    applied_db = cluster.fresh()
    applied_url = cluster.url_for(applied_db)
    run([str(driver), applied_url, str(small)], stdout=subprocess.DEVNULL)
    groups = {
        "1000 migrations": {
            "strata": apply_case(lambda url: [str(driver), url, str(small)]),
            "psql ideal": apply_case(lambda url: ["psql", "-X", "-q", "-f", str(small / "psql/ideal.sql"), url]),
            "libpq rt1": apply_case(lambda url: [str(work / "apply_libpq"), "rt1", url, str(small)]),
        },
        "one 5 MB migration": {
            "strata": apply_case(lambda url: [str(driver), url, str(big)]),
            "one PQexec (libpq rt1)": apply_case(lambda url: [str(work / "apply_libpq"), "rt1", url, str(big)]),
        },
        "no-op, 1000 applied": {
            "strata": lambda: timed([str(driver), applied_url, str(small), "--no-bodies"]),
            "libpq floor": lambda: timed([str(work / "noop_libpq"), applied_url, "strata_migrations"]),
        },
    }
    results = {group: {name: [] for name in cases} for group, cases in groups.items()}
    for i in range(runs):
        for group, cases in groups.items():
            names = list(cases)
            rotation = i % len(names)
            for name in names[rotation:] + names[:rotation]:
                for _ in range(5 if group.startswith("no-op") else 1):
                    results[group][name].append(cases[name]())
        print(f"run {i + 1}/{runs} done", file=sys.stderr)
    trips = subprocess.run([str(driver), applied_url, str(small), "--count-round-trips"], check=True,
                           capture_output=True, text=True).stdout.strip()
    logged = cluster.logged_statements(applied_db, [str(driver), applied_url, str(small), "--no-bodies"])
    cluster.drop(applied_db)
    return results, trips, logged


def report(measured, runs):
    results, trips, logged = measured
    load = os.getloadavg()
    print(f"\nmedians over {runs} runs (no-op: {runs * 5}), wall time per process, "
          f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}\n")
    targets = {"psql ideal": "<= 1.0", "one PQexec (libpq rt1)": "<= 1.1", "libpq floor": "<= 1.5"}
    for group, cases in results.items():
        print(f"  {group}")
        for name, times in cases.items():
            print(f"    {name:<24} {statistics.median(times) * 1000:9.1f} ms")
        strata = cases["strata"]
        for name, times in cases.items():
            if name == "strata":
                continue
            ratios = [strata[k] / times[k] for k in range(min(len(strata), len(times)))]
            print(f"    strata / {name}: median of paired ratios {statistics.median(ratios):.2f}, "
                  f"ratio of medians {statistics.median(strata) / statistics.median(times):.2f}"
                  + (f"   (target {targets[name]})" if name in targets else ""))
    print(f"\n  no-op {trips} after connecting (target <= 2)")
    if logged is not None:
        print(f"  the server logged {len(logged)} statement(s) for it (log_statement = all):")
        for line in logged:
            print(f"    {line}")


if __name__ == "__main__":
    main()
