// The compiler over real-world migration folders (../shared/corpus): everything valid under the
// PostgreSQL 15 grammar is accepted, and exactly the statements that need newer syntax are
// reported, at their line and column. A false rejection here breaks the build.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <catch2/catch.hpp>

#include "compiler_fixture.hpp"

using strata::test::compile_dir;
using strata::test::read_file;

namespace {
const std::filesystem::path corpus{STRATA_CORPUS_DIR};

}  // namespace

TEST_CASE("supabase-postgres (dbmate form) is accepted", "[corpus]") {
  const auto base = corpus / "supabase-postgres/migrations/db";
  const auto migrations = compile_dir(base / "migrations");
  INFO(migrations.output);
  REQUIRE(migrations.ok());
  CHECK(migrations.set().size() == 30);
  const auto init = compile_dir(base / "init-scripts");
  INFO(init.output);
  REQUIRE(init.ok());
  CHECK(init.set().size() == 4);
  CHECK(migrations.count("error") + init.count("error") == 0);
}

namespace {

// The files of a set that must fail: psql rejects them, or they need newer syntax (the corpus
// README lists both).
struct CorpusSet {
  std::string name;
  std::vector<std::string> must_fail;  // paths relative to the set's folder
  bool templates_fail = false;         // plus every file with Go template syntax ({{ … }})
};

struct Tally {
  std::size_t files = 0;
  std::size_t errors = 0;
  std::vector<std::string> failed;            // relative paths, sorted
  std::vector<std::string> false_rejections;  // failed but not expected to
};

// Compiles every .sql file of a set alone, as the up file of a one-migration folder (the sets
// are not all migration folders, and pairs or dialect twins would otherwise collide).
Tally check_each_file(const CorpusSet& set) {
  const auto base = corpus / set.name;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{base}) {
    if (entry.is_regular_file() && entry.path().extension() == ".sql")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  Tally tally;
  for (const auto& file : files) {
    const std::string relative = std::filesystem::relative(file, base).generic_string();
    std::string text = read_file(file);
    // popx's `.autocommit.` infix means "outside a transaction": strata spells it
    // `-- no-transaction`.
    if (relative.find(".autocommit.") != std::string::npos)
      text = "-- no-transaction\n" + text;
    strata::test::TempFolder root;
    root.write("m/1_file.up.sql", text);
    const auto run = strata::test::compile_folder(root);
    ++tally.files;
    tally.errors += run.count("error");
    if (run.ok())
      continue;
    tally.failed.push_back(relative);
    const bool expected =
        std::find(set.must_fail.begin(), set.must_fail.end(), relative) != set.must_fail.end() ||
        (set.templates_fail && text.find("{{") != std::string::npos);
    if (!expected) {
      tally.false_rejections.push_back(relative);
      UNSCOPED_INFO(set.name << '/' << relative << '\n' << run.output.substr(0, 2'000));
    }
  }
  return tally;
}

}  // namespace

TEST_CASE("Every corpus file passes except exactly the ones psql rejects or that need newer syntax",
          "[corpus]") {
  // pg-regress is psql test input that errs on purpose: see the PL/pgSQL verdict test.
  const std::vector<CorpusSet> sets = {
      {"lemmy",
       {// PostgreSQL 18's `ADD CONSTRAINT name NOT NULL column`
        "migrations/2024-03-06-104706_local_image_user_opt/down.sql",
        "migrations/2025-08-01-000016_smoosh-tables-together/down.sql",
        "migrations/2025-08-01-000034_no-image-token/down.sql",
        "migrations/2025-08-01-000041_remove-aggregate-tables/down.sql",
        "migrations/2025-08-01-000042_community-hidden-visibility/down.sql",
        "migrations/2025-08-01-000045_site_person_ban/down.sql",
        "migrations/2025-08-01-000051_local_image_person/down.sql",
        "migrations/2025-08-01-000053_remove_hide_modlog_names/down.sql",
        "migrations/2025-08-01-000061_drop-person-ban/down.sql",
        "migrations/2025-08-01-000063_post-or-comment-notification/down.sql",
        "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql",
        // PostgreSQL 16's subquery in FROM without an alias
        "migrations/2025-08-01-000016_smoosh-tables-together/up.sql"}},
      // MySQL's `DROP INDEX … ON table`, which psql rejects
      {"harness",
       {"app/store/database/migrate/postgres/0029_create_index_job_job_group_id_down.sql"}},
      {"ory-kratos", {}},
      {"supabase-postgres", {}},
      // Go templates, not SQL before expansion: psql rejects every one
      {"supabase-auth", {}, true},
      {"pgmq", {}},
      {"pg_partman", {}},
      {"pgtap", {}},
      {"pgflow", {}},
      {"harbor", {}},
  };
  std::ostringstream table;
  table << "corpus set          files  errors  failed  false rejections\n";
  for (const CorpusSet& set : sets) {
    const Tally tally = check_each_file(set);
    char line[128];
    std::snprintf(line, sizeof line, "%-18s %6zu %7zu %7zu %17zu\n", set.name.c_str(), tally.files,
                  tally.errors, tally.failed.size(), tally.false_rejections.size());
    table << line;
    INFO(set.name);
    CHECK(tally.false_rejections.empty());
    if (!set.templates_fail) {
      std::vector<std::string> expected = set.must_fail;
      std::sort(expected.begin(), expected.end());
      CHECK(tally.failed == expected);
    } else {
      CHECK(tally.failed.size() == tally.files);  // every file of the set is a template
    }
  }
  std::cout << table.str() << std::flush;
}

TEST_CASE("lemmy (directory form) is accepted except exactly its PostgreSQL 16/18 statements",
          "[corpus]") {
  // 11 files use PostgreSQL 18's `ADD CONSTRAINT name NOT NULL column` (one error per statement),
  // one uses PostgreSQL 16's subquery in FROM without an alias (see the corpus README).
  const std::vector<std::string> expected = {
      "migrations/2024-03-06-104706_local_image_user_opt/down.sql:2:56 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/up.sql:13:6 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/up.sql:75:6 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/up.sql:194:6 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/up.sql:330:6 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:6:47 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:42:54 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:63:53 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:135:43 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:158:44 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:193:46 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:222:43 strata-E201",
      "migrations/2025-08-01-000016_smoosh-tables-together/down.sql:261:56 strata-E201",
      "migrations/2025-08-01-000034_no-image-token/down.sql:3:62 strata-E201",
      "migrations/2025-08-01-000034_no-image-token/down.sql:22:52 strata-E201",
      "migrations/2025-08-01-000041_remove-aggregate-tables/down.sql:86:62 strata-E201",
      "migrations/2025-08-01-000041_remove-aggregate-tables/down.sql:312:55 strata-E201",
      "migrations/2025-08-01-000042_community-hidden-visibility/down.sql:61:50 strata-E201",
      "migrations/2025-08-01-000045_site_person_ban/down.sql:6:42 strata-E201",
      "migrations/2025-08-01-000045_site_person_ban/down.sql:81:41 strata-E201",
      "migrations/2025-08-01-000051_local_image_person/down.sql:26:51 strata-E201",
      "migrations/2025-08-01-000053_remove_hide_modlog_names/down.sql:209:58 strata-E201",
      "migrations/2025-08-01-000061_drop-person-ban/down.sql:4:42 strata-E201",
      "migrations/2025-08-01-000063_post-or-comment-notification/down.sql:7:55 strata-E201",
      "migrations/2025-08-01-000063_post-or-comment-notification/down.sql:16:41 strata-E201",
      "migrations/2025-08-01-000063_post-or-comment-notification/down.sql:33:49 strata-E201",
      "migrations/2025-08-01-000063_post-or-comment-notification/down.sql:45:50 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:8:56 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:34:51 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:43:36 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:66:54 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:76:52 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:86:51 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:97:53 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:107:67 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:117:56 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:128:49 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:161:50 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:187:52 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:199:40 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:225:48 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:233:50 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:241:53 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:253:60 strata-E201",
      "migrations/2025-10-15-114811-0000_merge-modlog-tables/down.sql:279:51 strata-E201",
  };
  const auto run = compile_dir(corpus / "lemmy/migrations");
  std::vector<std::string> errors;
  for (const auto& d : run.diagnostics) {
    if (d.severity == "error") {
      errors.push_back(d.file + ':' + std::to_string(d.line) + ':' + std::to_string(d.column) +
                       ' ' + d.id);
    }
  }
  CHECK(errors == expected);
  // Lint warnings (strata-lint-*) are lint_corpus_test's business; no other warning is expected.
  CHECK(std::count_if(run.diagnostics.begin(), run.diagnostics.end(), [](const auto& d) {
          return d.severity == "warning" && !d.id.starts_with("strata-lint-");
        }) == 0);
}

TEST_CASE("lemmy's newer-syntax statements pass when marked `-- strata:unchecked`", "[corpus]") {
  const auto source = corpus / "lemmy/migrations/2024-03-06-104706_local_image_user_opt";
  strata::test::TempFolder root;
  root.write("m/2024-03-06-104706_local_image_user_opt/up.sql", read_file(source / "up.sql"));
  std::string down = read_file(source / "down.sql");
  const auto at = down.find("ALTER TABLE");
  REQUIRE(at != std::string::npos);
  down.insert(at, "-- strata:unchecked\n");
  root.write("m/2024-03-06-104706_local_image_user_opt/down.sql", down);
  const auto run = strata::test::compile_folder(root);
  INFO(run.output);
  CHECK(run.ok());
  CHECK(run.count("note") == 1);
}

TEST_CASE("Every PL/pgSQL rejection in pg-regress is one the server makes, at the same statement",
          "[corpus]") {
  // fixtures/pg-regress-plpgsql/verdicts: what PostgreSQL 15 refuses when creating each
  // PL/pgSQL statement of these scripts (make-verdicts builds it). strata may miss what needs
  // the catalog; it must not reject anything else.
  struct Refused {
    std::string file;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
  };
  std::vector<Refused> refused;
  std::istringstream verdicts{read_file(std::filesystem::path{STRATA_SOURCE_DIR} /
                                        "tests/unit/fixtures/pg-regress-plpgsql/verdicts")};
  for (std::string line; std::getline(verdicts, line);) {
    if (line.empty() || line.starts_with('#'))
      continue;
    std::istringstream fields{line};
    Refused entry;
    char dash = 0;
    fields >> entry.file >> entry.first >> dash >> entry.last;
    refused.push_back(entry);
  }
  REQUIRE(refused.size() > 30);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator{corpus / "pg-regress/plpgsql"})
    files.push_back("plpgsql/" + entry.path().filename().string());
  files.push_back("sql/plpgsql.sql");
  std::sort(files.begin(), files.end());
  std::size_t rejected = 0;
  std::size_t agreed = 0;
  for (const std::string& file : files) {
    strata::test::TempFolder root;
    root.write("m/1_file.up.sql", read_file(corpus / "pg-regress" / file));
    const auto run = strata::test::compile_folder(root);
    for (const auto& d : run.diagnostics) {
      if (d.id != "strata-E204")
        continue;
      ++rejected;
      const bool server_too = std::any_of(refused.begin(), refused.end(), [&](const Refused& r) {
        return r.file == file && d.line >= r.first && d.line <= r.last;
      });
      INFO(file << ':' << d.line << ':' << d.column << ' ' << d.message);
      CHECK(server_too);
      agreed += server_too ? 1 : 0;
    }
  }
  std::cout << "pg-regress PL/pgSQL: the server refuses " << refused.size()
            << " statements; strata rejects " << rejected << ", " << agreed
            << " of them at a statement the server refuses, " << rejected - agreed
            << " false rejections\n"
            << std::flush;
  CHECK(rejected >= 20);
}
