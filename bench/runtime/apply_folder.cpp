// Bench-only driver: applies a gen_corpus.py corpus with strata::Migrator, as a self-migrating
// binary would, so the benchmark times the runtime alone (no compiler, no CLI).
//
//   strata_bench_apply URL CORPUS [--count-round-trips | --no-bodies]
//
// Reads CORPUS/manifest.tsv (version, name, kind, bytes, sha384) and
// CORPUS/plain/<version>_<name>.sql into a MigrationSet at run time. Every corpus migration is
// transactional, so the statements are not split: the runtime sends a transactional migration whole
// and uses statement ranges only to locate an error. The checksum is the manifest's sha384, which
// the runtime only compares.
// --no-bodies reads the manifest only (every body empty): for timing a no-op start, where a
// generated binary reads nothing either (its SQL is constant data that up() does not touch).
// --count-round-trips runs up() over a libpq connection traced with PQtrace and prints how many
// round trips (client Query or Sync messages) it made.
#include <array>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <strata/migrator.hpp>

#include <libpq-fe.h>

namespace {

struct Owned {
  std::string version, name, checksum, path, sql;
};

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct PgFinish {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
struct FileClose {
  void operator()(FILE* file) const noexcept {
    std::fclose(file);  // NOLINT(cppcoreguidelines-owning-memory): the unique_ptr owns it
  }
};

int count_round_trips(const std::string& url, const strata::MigrationSet& set) {
  std::unique_ptr<PGconn, PgFinish> conn{PQconnectdb(url.c_str())};
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error(PQerrorMessage(conn.get()));
  std::unique_ptr<FILE, FileClose> trace{std::tmpfile()};
  PQtrace(conn.get(), trace.get());
  {
    strata::Migrator migrator{strata::BorrowedConnection{conn.get()}, set};
    (void)migrator.up();
  }
  PQuntrace(conn.get());
  std::rewind(trace.get());
  int round_trips = 0;
  std::array<char, 8192> line{};
  while (std::fgets(line.data(), static_cast<int>(line.size()), trace.get()) != nullptr) {
    const std::string text{line.data()};
    if (text.find("\tF\t") != std::string::npos &&
        (text.find("\tQuery\t") != std::string::npos || text.find("\tSync") != std::string::npos)) {
      ++round_trips;
    }
  }
  return round_trips;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: strata_bench_apply URL CORPUS [--count-round-trips]\n";
    return 2;
  }
  try {
    const std::string url = argv[1];
    const std::string corpus = argv[2];
    const std::string mode = argc > 3 ? argv[3] : "";
    std::deque<Owned> owned;
    std::ifstream manifest{corpus + "/manifest.tsv"};
    for (std::string line; std::getline(manifest, line);) {
      std::istringstream fields{line};
      Owned m;
      std::string kind, bytes, sha;
      if (!(fields >> m.version >> m.name >> kind >> bytes >> sha))
        continue;
      m.checksum = "sha384:" + sha;
      m.path = corpus + "/plain/" + m.version + "_" + m.name + ".sql";
      if (mode != "--no-bodies")
        m.sql = slurp(m.path);
      owned.push_back(std::move(m));
    }
    std::vector<strata::Migration> migrations;
    for (const Owned& m : owned) {
      strata::Migration migration;
      migration.version = m.version;
      migration.name = m.name;
      migration.checksum = m.checksum;
      migration.up = strata::Section{m.sql, {}, m.path, 1, true};
      migrations.push_back(migration);
    }
    const strata::MigrationSet set{migrations};
    if (mode == "--count-round-trips") {
      std::cout << "round trips: " << count_round_trips(url, set) << "\n";
      return 0;
    }
    strata::Migrator migrator{url, set};
    const strata::RunReport report = migrator.up();
    std::cout << "applied " << report.steps.size() << " of " << set.size() << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "strata_bench_apply: " << error.what() << "\n";
    return 1;
  }
}
