#!/usr/bin/env python3
"""The `strata` tool's benchmark (run by hand, not by ctest): each target as a ratio measured side
by side in one run, with the machine's load.

    bench/tool/bench.py [--build-dir build] [--runs 11] [--baseline-rev REV | --baseline PATH]

  1. no-op `strata up -d DIR` on 1,000 applied migrations vs dbmate 2.36 `migrate` on the same
     folder and its own equally migrated database (target <= 1.0);
  2. `strata status -d DIR` vs `dbmate status` on the same databases (target <= 1.0), with the
     catalog cache filled (a folder unchanged since the last command: the everyday case), and
     again with the cache off (STRATA_CATALOG_CACHE=off: every file read, for reference);
  3. `strata check` of one 13 MB `INSERT ... VALUES` of 1.4 M rows vs `psql -X -q -1 -f` applying
     it to an empty table (target <= 0.5 of the time, <= 256 MB peak RSS);
  4. `strata check` of 10,000 generated migrations (bench/compiler's) vs the tool built from
     --baseline-rev (or the binary --baseline), alternated run by run (target <= 1.0).
The corpus of 1 and 2 is ../shared/bench/gen_corpus.py --n 1000 (dbmate layout). Pairs alternate
A/B and the order flips every run, so a change of load hits both sides; the ratio printed is the
median of the per-pair ratios. The self-migrating binary's figures are bench/runtime/bench.py's.

dbmate is the Go binary of the npm package dbmate@2.36.0, installed with npm into
build-bench/dbmate/ when missing. The server is DATABASE_URL when set, else a throwaway cluster
(tests/support/pg-cluster).
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
DBMATE_VERSION = "2.36.0"


def load_script(path):
    """A sibling benchmark as a module (they are scripts, not a package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(path.stem + "_" + path.parent.name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generated_migration = load_script(ROOT / "bench" / "compiler" / "run.py").migration


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def dbmate_binary():
    folder = ROOT / "build-bench" / "dbmate"
    binary = folder / "node_modules" / "@dbmate" / "linux-x64" / "bin" / "dbmate"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"installing dbmate@{DBMATE_VERSION} with npm into {folder}", file=sys.stderr)
        run(["npm", "install", "--no-save", "--no-audit", "--no-fund", f"dbmate@{DBMATE_VERSION}"],
            cwd=folder, stdout=subprocess.DEVNULL)
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    if DBMATE_VERSION not in version:
        sys.exit(f"{binary} is not dbmate {DBMATE_VERSION}: {version.strip()}")
    return binary


def baseline_tool(rev):
    """The strata tool built from git revision `rev` (its generator only) in build-bench/."""
    source = ROOT / "build-bench" / f"baseline-{rev}"
    binary = source / "build" / "generator" / "strata"
    if binary.exists():
        return binary
    source.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    run(["tar", "-x", "-C", str(source)], input=archive)
    launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []
    run(["cmake", "-S", str(source), "-B", str(source / "build"), "-G", "Ninja",
         "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DSTRATA_BUILD_TESTS=OFF",
         "-DSTRATA_BUILD_EXAMPLES=OFF", "-DSTRATA_INSTALL=OFF"] + launcher, stdout=subprocess.DEVNULL)
    run(["cmake", "--build", str(source / "build"), "--target", "strata_tool", "-j2"],
        stdout=subprocess.DEVNULL)
    return binary


def measured(cmd, ok_codes=(0,)):
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode not in ok_codes:
        sys.exit(f"{' '.join(map(str, cmd))} exited {process.returncode}:\n{stderr}")
    return wall, usage.ru_maxrss / 1024


def paired(first, second, runs, before_second=None):
    """Alternates the two commands, flipping the order every run; returns both sides' figures."""
    a, b = [], []
    for i in range(runs):
        order = [(first, a, None), (second, b, before_second)]
        for command, into, prepare in (order if i % 2 == 0 else order[::-1]):
            if prepare:
                prepare()
            into.append(command())
    return a, b


def write_big_insert(folder, rows):
    """One migration: INSERT INTO big VALUES (1),(2),…; the same statement alone for psql."""
    values = ",".join(f"({i})" for i in range(1, rows + 1))
    statement = f"INSERT INTO big VALUES {values};\n"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "20260101000000_big_insert.sql").write_text(
        "-- migrate:up\n" + statement + "\n-- migrate:down\nDELETE FROM big;\n")
    (folder / "insert.sql").write_text(statement)
    return len(statement)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=str(ROOT / "build"))
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--rows", type=int, default=1_400_000)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--baseline", help="a strata binary to compare `check` with")
    parser.add_argument("--baseline-rev", help="build the baseline tool from this git revision")
    args = parser.parse_args()

    strata = Path(args.build_dir) / "generator" / "strata"
    if not os.access(strata, os.X_OK):
        sys.exit(f"no strata tool at {strata}; build it first")
    baseline = Path(args.baseline) if args.baseline else (
        baseline_tool(args.baseline_rev) if args.baseline_rev else None)
    dbmate = dbmate_binary()
    load_start = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="strata-bench-tool-"))
    results = []
    try:
        run([sys.executable, str(SHARED / "gen_corpus.py"), "--out", str(work / "small"), "--n",
             "1000"], stdout=subprocess.DEVNULL)
        folder = work / "small" / "dbmate" / "db" / "migrations"
        cluster = Cluster(work)
        try:
            results += noop_and_status(cluster, strata, dbmate, folder, args.runs)
            results += big_insert(cluster, strata, work / "big", args.rows, max(3, args.runs // 3))
        finally:
            cluster.stop()
        results += many_migrations(strata, baseline, work / "many", args.count, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_end = os.getloadavg()
    print(f"\nstrata tool benchmark, {args.runs} pairs per row (median of paired ratios); "
          f"load average {load_start[0]:.1f} / {load_start[1]:.1f} / {load_start[2]:.1f} at the "
          f"start, {load_end[0]:.1f} / {load_end[1]:.1f} / {load_end[2]:.1f} at the end, "
          f"{os.cpu_count()} cores\n")
    print(f"  {'work':<52} {'strata':>10} {'reference':>10} {'ratio':>6}  target")
    for name, reference, ours, theirs, target, extra in results:
        ratio = statistics.median(o / t for o, t in zip(ours, theirs))
        print(f"  {name:<52} {statistics.median(ours) * 1000:8.1f}ms "
              f"{statistics.median(theirs) * 1000:8.1f}ms {ratio:6.2f}  {target} (vs {reference})"
              + (f"; {extra}" if extra else ""))


def noop_and_status(cluster, strata, dbmate, folder, runs):
    # A cache of the run's own; it vouches only for files older than its racy window (3 s).
    os.environ["STRATA_CATALOG_CACHE"] = str(folder.parent / "catalog-cache")
    newest = max([folder.stat().st_ctime] + [p.stat().st_ctime for p in folder.iterdir()])
    time.sleep(max(0.0, 3.2 - (time.time() - newest)))
    strata_db, dbmate_db = cluster.fresh(), cluster.fresh()
    # The same URL form for both: dbmate's driver needs sslmode=disable on a server without TLS,
    # and libpq then skips its TLS probe too.
    strata_url, dbmate_url = (url + ("&" if "?" in url else "?") + "sslmode=disable"
                              for url in (cluster.url_for(strata_db), cluster.url_for(dbmate_db)))
    up = [str(strata), "up", "-q", "-d", str(folder), "--url", strata_url]
    migrate = [str(dbmate), "--url", dbmate_url, "--migrations-dir", str(folder),
               "--no-dump-schema", "migrate"]
    run(up, stdout=subprocess.DEVNULL)  # also fills the catalog cache
    run(migrate, stdout=subprocess.DEVNULL)
    status = [str(strata), "status", "-d", str(folder), "--url", strata_url]
    dbmate_status = [str(dbmate), "--url", dbmate_url, "--migrations-dir", str(folder), "status"]
    rows = []
    a, b = paired(lambda: measured(up)[0], lambda: measured(migrate)[0], runs)
    rows.append(("no-op `strata up -d DIR`, 1,000 applied", "dbmate migrate", a, b, "<= 1.0", ""))
    a, b = paired(lambda: measured(status)[0], lambda: measured(dbmate_status)[0], runs)
    rows.append(("`strata status -d DIR`, 1,000 applied", "dbmate status", a, b, "<= 1.0", ""))
    os.environ["STRATA_CATALOG_CACHE"] = "off"
    a, b = paired(lambda: measured(status)[0], lambda: measured(dbmate_status)[0], runs)
    rows.append(("the same, catalog cache off", "dbmate status", a, b, "(reference)", ""))
    a, b = paired(lambda: measured(up)[0], lambda: measured(migrate)[0], runs)
    rows.append(("no-op `strata up -d DIR`, catalog cache off", "dbmate migrate", a, b,
                 "(reference)", ""))
    del os.environ["STRATA_CATALOG_CACHE"]
    cluster.drop(strata_db)
    cluster.drop(dbmate_db)
    return rows


def big_insert(cluster, strata, folder, rows, runs):
    size = write_big_insert(folder, rows)
    check = [str(strata), "check", "-d", str(folder / "migrations")]
    databases = []

    def psql_apply():
        db = cluster.fresh()
        databases.append(db)
        url = cluster.url_for(db)
        run(["psql", "-X", "-q", "-c", "CREATE TABLE big (n int)", url], stdout=subprocess.DEVNULL)
        wall = measured(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f",
                         str(folder / "insert.sql"), url])[0]
        cluster.drop(db)
        return wall

    peaks = []

    def strata_check():
        wall, peak = measured(check)
        peaks.append(peak)
        return wall

    a, b = paired(strata_check, psql_apply, runs)
    return [(f"`strata check`, one {size / 1e6:.1f} MB INSERT of {rows:,} rows",
             "psql -1 -f", a, b, "<= 0.5",
             f"peak RSS {max(peaks):.0f} MB (target <= 256 MB)")]


def many_migrations(strata, baseline, folder, count, runs):
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"{20240101000000 + i}_m{i}.sql").write_text(generated_migration(i))
    check = [str(strata), "check", "-d", str(folder)]
    if baseline is None:
        times = [measured(check)[0] for _ in range(runs)]
        return [(f"`strata check`, {count:,} generated migrations", "0.7 s (no baseline given)",
                 times, [0.7] * runs, "<= 1.0", "")]
    reference = [str(baseline), "check", "-d", str(folder)]
    a, b = paired(lambda: measured(check)[0], lambda: measured(reference)[0], runs)
    return [(f"`strata check`, {count:,} generated migrations", f"baseline {baseline}", a, b,
             "<= 1.0", "")]


if __name__ == "__main__":
    main()
