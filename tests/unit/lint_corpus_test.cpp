// The linter over the real-world corpora (../shared/corpus): it must not crash, and without
// --warnings-as-errors no lint finding is an error. The count per rule is printed as a figure
// of what the rules find in real projects, not asserted; so is the time lint adds to a check.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"
#include "check/checker.hpp"
#include "check/lint/linter.hpp"
#include "compiler_fixture.hpp"

using strata::test::compile_dir;
using strata::test::read_file;

namespace {

const std::filesystem::path corpus{STRATA_CORPUS_DIR};

bool is_lint_id(std::string_view id) {
  return id.starts_with("strata-lint-") || id.starts_with("strata-W6");
}

// Lint findings per id, per corpus.
using Counts = std::map<std::string, std::map<std::string, std::size_t>>;

void tally(const strata::test::CompileRun& run, const std::string& corpus_name, Counts& counts) {
  for (const auto& d : run.diagnostics) {
    if (!is_lint_id(d.id))
      continue;
    INFO(corpus_name << ": " << d.file << ':' << d.line << ' ' << d.id);
    CHECK(d.severity != "error");
    ++counts[d.id][corpus_name];
  }
}

// ory-kratos files one at a time, as the compiler's corpus test reads them: each file alone as
// the up file of a one-migration folder; `.autocommit.` becomes `-- no-transaction`.
void lint_kratos(Counts& counts) {
  const auto folder = corpus / "ory-kratos/persistence/sql/migrations/sql";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{folder}) {
    const std::string name = entry.path().filename().string();
    const bool dialect_free = name.find(".mysql.") == std::string::npos &&
                              name.find(".sqlite3.") == std::string::npos &&
                              name.find(".cockroach.") == std::string::npos;
    // Down files undo ups on purpose; only ups are migrations' up sections.
    if (entry.path().extension() == ".sql" && dialect_free &&
        name.find(".down.") == std::string::npos) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 300);
  for (const auto& file : files) {
    strata::test::TempFolder root;
    const bool autocommit = file.filename().string().find(".autocommit.") != std::string::npos;
    root.write("m/1_file.up.sql", (autocommit ? "-- no-transaction\n" : "") + read_file(file));
    root.write("m/1_file.down.sql", "SELECT 1;\n");  // kratos has downs; do not count them missing
    tally(strata::test::compile_folder(root), "ory-kratos", counts);
  }
}

}  // namespace

TEST_CASE("The linter runs over every corpus without an error-level finding (counts printed)",
          "[corpus][lint]") {
  Counts counts;
  const auto supabase = corpus / "supabase-postgres/migrations/db";
  tally(compile_dir(supabase / "migrations"), "supabase", counts);
  tally(compile_dir(supabase / "init-scripts"), "supabase", counts);
  tally(compile_dir(corpus / "lemmy/migrations"), "lemmy", counts);
  lint_kratos(counts);

  const std::vector<std::string> corpora = {"supabase", "lemmy", "ory-kratos"};
  std::cout << "lint findings per rule (supabase-postgres dbmate + init-scripts, lemmy, "
               "ory-kratos up files):\n";
  std::cout << "  rule                                     supabase  lemmy  ory-kratos\n";
  for (const auto& [id, per_corpus] : counts) {
    std::cout << "  " << id << std::string(id.size() < 41 ? 41 - id.size() : 1, ' ');
    for (const std::string& name : corpora) {
      const auto found = per_corpus.find(name);
      const std::string figure = std::to_string(found == per_corpus.end() ? 0 : found->second);
      std::cout << std::string(name.size() + 2 - std::min(name.size() + 1, figure.size()), ' ')
                << figure;
    }
    std::cout << '\n';
  }
  CHECK(!counts.empty());
}

TEST_CASE("Lint's share of the time a check takes, over lemmy and supabase (printed)",
          "[corpus][lint]") {
  using Clock = std::chrono::steady_clock;
  const std::vector<std::filesystem::path> folders = {
      corpus / "lemmy/migrations", corpus / "supabase-postgres/migrations/db/migrations"};
  for (const auto& folder : folders) {
    strata::generator::SourceOptions options;
    options.migrations_dir = folder;
    double check_ms = 1e18;
    double lint_ms = 1e18;
    for (int round = 0; round < 3; ++round) {
      strata::generator::Diagnostics diagnostics;
      const auto start = Clock::now();
      auto catalog = strata::generator::load_catalog(options, diagnostics);
      const auto checked = strata::generator::check_catalog(catalog, options, diagnostics);
      const auto checked_at = Clock::now();
      strata::generator::Diagnostics lint_only;
      for (std::size_t i = 0; i < catalog.migrations.size(); ++i) {
        strata::generator::lint_migration(catalog.migrations[i], checked[i].up.parsed,
                                          checked[i].down.parsed, lint_only);
      }
      const auto linted_at = Clock::now();
      check_ms =
          std::min(check_ms, std::chrono::duration<double, std::milli>(checked_at - start).count());
      lint_ms = std::min(lint_ms,
                         std::chrono::duration<double, std::milli>(linted_at - checked_at).count());
      CHECK(lint_only.count(strata::generator::Severity::warning) +
                lint_only.count(strata::generator::Severity::note) >
            0);
    }
    std::cout << "lint cost on " << folder.parent_path().filename().string() << '/'
              << folder.filename().string() << ": check (load, parse, all rules) " << check_ms
              << " ms, of which lint " << lint_ms << " ms (" << 100.0 * lint_ms / check_ms
              << "%)\n";
  }
}
