#!/usr/bin/env python3
"""Compiler benchmark (run by hand, not by ctest).

Generates 10,000 migrations, then prints medians over several runs of:
  - `strata check` on the folder (target: under 1 s);
  - compiling the translation unit `strata generate` emits for it (target: within 10x of .incbin);
  - compiling a translation unit that `.incbin`s the same SQL bytes (the physical floor),
    alternately with the previous one, so both see the same load;
  - compiling a unit that only includes <strata/migration_set.hpp>: what each file of the
    program that includes the generated header pays, whatever the size of the table.

Usage: bench/compiler/run.py [--build-dir DIR] [--count N] [--runs N] [--cxx C++]
The strata tool is taken from DIR/generator/strata (default: build/).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def migration(i):
    """A small but realistic migration: a table, an index, every tenth one a PL/pgSQL function."""
    up = (f"CREATE TABLE t{i} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n"
          f"  created_at timestamptz NOT NULL DEFAULT now()\n);\n"
          f"CREATE INDEX t{i}_name ON t{i} (name);\n")
    if i % 10 == 0:
        up += (f"CREATE FUNCTION f{i}(p bigint) RETURNS text LANGUAGE plpgsql AS $$\n"
               f"BEGIN\n  RETURN (SELECT name FROM t{i} WHERE id = p);\nEND $$;\n")
    down = f"DROP TABLE t{i};\n"
    return f"-- migrate:up\n{up}\n-- migrate:down\n{down}"


def run_once(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed(command, runs):
    times = [run_once(command) for _ in range(runs)]
    return statistics.median(times), times


def paired(first, second, runs):
    """Runs the two commands alternately, so a change of load hits both; also the ratio per pair."""
    firsts, seconds = [], []
    for _ in range(runs):
        firsts.append(run_once(first))
        seconds.append(run_once(second))
    ratios = [a / b for a, b in zip(firsts, seconds)]
    return (statistics.median(firsts), firsts, statistics.median(seconds), seconds,
            statistics.median(ratios))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cxx", default=os.environ.get("CXX", "c++"))
    args = parser.parse_args()

    strata = os.path.join(args.build_dir, "generator", "strata")
    if not os.access(strata, os.X_OK):
        sys.exit(f"no strata tool at {strata}; build it first (cmake --build {args.build_dir})")

    work = tempfile.mkdtemp(prefix="strata-bench-compiler-")
    try:
        folder = os.path.join(work, "migrations")
        os.makedirs(folder)
        for i in range(args.count):
            with open(os.path.join(folder, f"{20240101000000 + i}_m{i}.sql"), "w") as f:
                f.write(migration(i))
        out = os.path.join(work, "out")
        subprocess.run([strata, "generate", "-d", folder, "--namespace", "bench_db",
                        "--out-dir", out], check=True)

        # The same SQL bytes, for .incbin: every up and down body, concatenated.
        sql_bytes = 0
        with open(os.path.join(work, "all.sql"), "w") as all_sql:
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name)) as f:
                    text = f.read()
                all_sql.write(text)
                sql_bytes += len(text.encode())
        with open(os.path.join(work, "header_only.cpp"), "w") as f:
            f.write("#include <strata/migration_set.hpp>\n")
        with open(os.path.join(work, "incbin.cpp"), "w") as f:
            f.write('__asm__(".section .rodata\\n.global bench_sql\\nbench_sql:\\n'
                    f'.incbin \\"{work}/all.sql\\"\\n.byte 0\\n.previous\\n");\n'
                    'extern "C" const char bench_sql[];\n'
                    'const char* sql() { return bench_sql; }\n')

        include = os.path.join(ROOT, "runtime", "include")
        flags = ["-std=c++20", "-O2", "-c", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]
        check, check_all = timed([strata, "check", "-d", folder], args.runs)
        generated, generated_all, incbin, incbin_all, ratio = paired(
            [args.cxx, *flags, "-I", include, "-I", out, os.path.join(out, "bench_db.cpp"),
             "-o", os.path.join(work, "bench_db.o")],
            [args.cxx, *flags, os.path.join(work, "incbin.cpp"), "-o",
             os.path.join(work, "incbin.o")], args.runs)
        header, header_all = timed(
            [args.cxx, *flags, "-I", include, os.path.join(work, "header_only.cpp"), "-o",
             os.path.join(work, "header_only.o")], args.runs)
        unit_bytes = os.path.getsize(os.path.join(out, "bench_db.cpp"))

        def fmt(values):
            return ", ".join(f"{v:.3f}" for v in values)

        print(f"migrations: {args.count}, SQL: {sql_bytes / 1e6:.2f} MB, "
              f"generated unit: {unit_bytes / 1e6:.2f} MB, runs: {args.runs}, cxx: {args.cxx}")
        print(f"strata check:             median {check:.3f} s  ({fmt(check_all)})  target < 1 s")
        print(f"compile generated unit:   median {generated:.3f} s  ({fmt(generated_all)})")
        print(f"compile .incbin of bytes: median {incbin:.3f} s  ({fmt(incbin_all)})")
        print(f"generated / incbin:       {ratio:.1f}x (median of the paired runs' ratios; "
              f"of the medians {generated / incbin:.1f}x)  target <= 10x")
        print(f"compile a user of the set: median {header:.3f} s  ({fmt(header_all)})"
              "  (<strata/migration_set.hpp> alone, per including file, any table size)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
