// The compiler over real-world migration folders (../shared/corpus): everything valid under the
// PostgreSQL 15 grammar is accepted, and exactly the statements that need newer syntax are
// reported, at their line and column. A false rejection here breaks the build.
#include <algorithm>
#include <fstream>
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

TEST_CASE("ory-kratos dialect-free and .postgres. files are accepted one at a time", "[corpus]") {
  const auto folder = corpus / "ory-kratos/persistence/sql/migrations/sql";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{folder}) {
    const std::string name = entry.path().filename().string();
    const bool dialect_free = name.find(".mysql.") == std::string::npos &&
                              name.find(".sqlite3.") == std::string::npos &&
                              name.find(".cockroach.") == std::string::npos;
    if (entry.path().extension() == ".sql" && dialect_free)
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 600);
  std::size_t accepted = 0;
  for (const auto& file : files) {
    // Each file alone as the up file of a one-migration folder (up and down of one version, and
    // a dialect file and its dialect-free twin, would otherwise pair or collide). popx's
    // `.autocommit.` infix means "outside a transaction": strata spells it `-- no-transaction`.
    strata::test::TempFolder root;
    const std::string name = file.filename().string();
    const bool autocommit = name.find(".autocommit.") != std::string::npos;
    root.write("m/1_file.up.sql", (autocommit ? "-- no-transaction\n" : "") + read_file(file));
    const auto run = strata::test::compile_folder(root);
    INFO(name << '\n' << run.output);
    CHECK(run.ok());
    accepted += run.ok() ? 1 : 0;
  }
  CHECK(accepted == files.size());
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
