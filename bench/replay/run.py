#!/usr/bin/env python3
"""Replay benchmark (run by hand, not by ctest): `strata replay` against `strata up`.

    bench/replay/run.py [--runs 3] [--clean 300] [--lemmy DIR] [--strata build/generator/strata]

On one scratch server (DATABASE_URL when set, else a throwaway cluster from
tests/support/pg-cluster), for each migration set, median wall time of:
  up       `strata up` of the whole set into a fresh database
  replay   a full proved replay (`strata replay --scratch-url`), no template kept from before
  append   on a set whose replay has no errors: the set minus its last migration replayed (keeps
           a template), then the whole set replayed: only the appended migration is proved
and the ratios replay/up (target <= 6; the median of each run's ratio, up and replay timed back to
back, and the ratio of the medians) and append/replay (target <= 0.25).
Sets:
  lemmy    the first 247 migrations of ../shared/corpus/lemmy (Diesel form; from migration 248
           on they need PostgreSQL 16+), copied, with the one down in that range written in
           PostgreSQL 16 syntax (`ADD CONSTRAINT … NOT NULL col`) rewritten as `ALTER COLUMN …
           SET NOT NULL`. Its downs have real proof failures, so its replay exits 1 and keeps no
           template: no append figure.
  clean    --clean N migrations from ../shared/bench/gen_corpus.py (tables, columns, functions,
           each with a down that restores it): a replay with no proof failure.
Each set is measured over TCP and again over the same server's Unix socket (the transport of the
embedded server; the append only over TCP). Also the embedded server (--scratch-dir): the clean set's first replay, its one-time initdb
reported apart, then replays with nothing changed. Prints the load average before and after.
"""
import argparse
import os
import re
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
SHARED = ROOT.parent / "shared"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def psql(url, sql):
    return run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
               capture_output=True, text=True,
               env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}).stdout


def with_database(url, name):
    """`url` naming database `name` instead (the query, a Unix socket's host=/path included, kept)."""
    base, mark, query = url.partition("?")
    return f"{base.rpartition('/')[0]}/{name}{mark}{query}"


def timed(cmd, allowed=(0,)):
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in allowed:
        sys.exit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stdout}{result.stderr}")
    return elapsed, result


def drop_templates(url):
    for name in psql(url, "SELECT datname FROM pg_database "
                          "WHERE datname LIKE 'strata\\_replay\\_%'").split():
        psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def lemmy_set(work, count=247):
    source = SHARED / "corpus/lemmy/migrations"
    folder = work / "lemmy"
    for entry in sorted(p for p in source.iterdir() if p.is_dir())[:count]:
        shutil.copytree(entry, folder / entry.name)
    down = folder / "2024-03-06-104706_local_image_user_opt/down.sql"
    if down.exists():
        down.write_text(re.sub(r"ADD CONSTRAINT \w+ NOT NULL (\w+)", r"ALTER COLUMN \1 SET NOT NULL",
                               down.read_text()))
    return folder


def clean_set(work, count):
    run([sys.executable, str(SHARED / "bench/gen_corpus.py"), "--out", str(work / "gen"),
         "--n", str(count)], stdout=subprocess.DEVNULL)
    return work / "gen/dbmate/db/migrations"


def measure(strata, url, folder, runs, append):
    ups, replays, appends = [], [], []
    errors = 0
    for _ in range(runs):  # interleaved, so load drifts hit every way alike
        psql(url, 'DROP DATABASE IF EXISTS "replay_bench_up" WITH (FORCE)')
        psql(url, 'CREATE DATABASE "replay_bench_up"')
        ups.append(timed([strata, "up", "-d", str(folder), "--quiet",
                          "--url", with_database(url, "replay_bench_up")])[0])
        drop_templates(url)
        elapsed, result = timed([strata, "replay", "-d", str(folder), "--scratch-url", url],
                                allowed=(0, 1))
        replays.append(elapsed)
        errors = len(re.findall(r":\d+:\d+: error: ", result.stderr))
        if append and errors == 0:
            drop_templates(url)
            prefix = folder.parent / (folder.name + "-prefix")
            shutil.rmtree(prefix, ignore_errors=True)
            shutil.copytree(folder, prefix)
            last = sorted(p for p in prefix.iterdir() if p.suffix == ".sql" or p.is_dir())[-1]
            shutil.rmtree(last) if last.is_dir() else last.unlink()
            timed([strata, "replay", "-d", str(prefix), "--scratch-url", url])
            shutil.rmtree(prefix)
            elapsed, result = timed([strata, "replay", "-d", str(folder), "--scratch-url", url,
                                     "-v"])
            if "replayed 1 of " not in result.stderr:
                sys.exit(f"the append replayed more than one migration:\n{result.stderr}")
            appends.append(elapsed)
    psql(url, 'DROP DATABASE IF EXISTS "replay_bench_up" WITH (FORCE)')
    drop_templates(url)
    return ups, replays, appends, errors


def show(label, values):
    return (f"  {label:<8} {statistics.median(values):7.2f} s   "
            f"(runs: {', '.join(f'{v:.2f}' for v in values)})")


def embedded(strata, folder, work, runs):
    cache = work / "scratch"
    if os.geteuid() == 0:  # the server runs as `postgres`, which must reach the folder
        cache = Path(tempfile.mkdtemp(prefix="strata-replay-bench-", dir="/var/tmp"))
    first, result = timed([strata, "replay", "-d", str(folder), "--scratch-dir", str(cache), "-v"])
    init = re.search(r"initialised the scratch cluster in \S+ in (\d+)ms", result.stderr)
    init = int(init.group(1)) / 1000 if init else 0.0
    again = [timed([strata, "replay", "-d", str(folder), "--scratch-dir", str(cache)])[0]
             for _ in range(runs)]
    shutil.rmtree(cache, ignore_errors=True)
    return init, first - init, again


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clean", type=int, default=300)
    parser.add_argument("--lemmy", type=int, default=247)
    parser.add_argument("--strata", default=str(ROOT / "build/generator/strata"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="strata-replay-bench-"))
    cluster = Cluster(work)  # DATABASE_URL when set, else a throwaway cluster
    url = cluster.url
    try:
        sets = {f"lemmy (first {args.lemmy})": (lemmy_set(work, args.lemmy), False),
                f"clean ({args.clean})": (clean_set(work, args.clean), True)}
        print(f"median of {args.runs} runs; load before: {os.getloadavg()[0]:.2f} "
              f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        # Over TCP, and over the Unix socket of the same server: the embedded scratch server (the
        # default) is reached that way, and a replay is several round trips per migration.
        transports = [("TCP", url)] + ([("Unix socket", cluster.socket_url())]
                                       if cluster.socket_url() else [])
        for transport, server in transports:
            for name, (folder, append) in sets.items():
                ups, replays, appends, errors = measure(args.strata, server, folder, args.runs,
                                                        append and transport == "TCP")
                up, replay = statistics.median(ups), statistics.median(replays)
                paired = statistics.median(r / u for r, u in zip(replays, ups))
                print(f"{name}, {transport}: {errors} replay errors")
                print(show("up", ups))
                print(show("replay", replays))
                print(f"  replay / up     = {paired:.2f} median of the runs' ratios, "
                      f"{replay / up:.2f} ratio of the medians  (target <= 6)")
                if appends:
                    print(show("append", appends))
                    print(f"  append / replay = {statistics.median(appends) / replay:.2f}  "
                          f"(target <= 0.25)")
        init, first, again = embedded(args.strata, sets[f"clean ({args.clean})"][0], work,
                                      args.runs)
        print(f"embedded server, clean set: initdb (once per cache folder) {init:.2f} s, then a "
              f"full replay {first:.2f} s (start and stop included)")
        print(show("again", again) + "  (nothing changed: clone of the template, no proof)")
        print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
              f"{os.getloadavg()[2]:.2f}")
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
