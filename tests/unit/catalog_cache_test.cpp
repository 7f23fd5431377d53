// The catalog cache: what it vouches for, and every change that makes it vouch for nothing.
#include "catalog/catalog_cache.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "catalog/checksum.hpp"
#include "catalog/diagnostics.hpp"
#include "check/lock_file.hpp"
#include "compiler_fixture.hpp"

using strata::generator::Catalog;
using strata::generator::CatalogCache;
using strata::generator::SourceOptions;
using strata::test::TempFolder;

namespace {

// Later than any file written now by more than the racy window: everything may be cached.
std::chrono::system_clock::time_point later() {
  return std::chrono::system_clock::now() + std::chrono::seconds{10};
}

struct Cached {
  TempFolder root;
  SourceOptions options;

  Cached() {
    root.write("m/1_a.sql",
               "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n");
    root.write("m/2_b.up.sql", "CREATE TABLE b (id int);\n");
    root.write("m/2_b.down.sql", "DROP TABLE b;\n");
    root.write("m/3_c/up.sql", "CREATE INDEX CONCURRENTLY c ON a (id);\n");
    root.write("m/3_c/metadata.toml", "run_in_transaction = false\n");
    root.write("r/f.sql", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n");
    root.write("m/seeds/users.csv", "id\n1\n");
    options.migrations_dir = root.path() / "m";
    options.routines_dir = root.path() / "r";
  }
  [[nodiscard]] CatalogCache cache() const {
    return CatalogCache{root.path() / "cache", options, strata::generator::lock_file_path(options)};
  }
  [[nodiscard]] Catalog from_disk() const {
    strata::generator::Diagnostics diagnostics;
    Catalog catalog = strata::generator::load_catalog(options, diagnostics);
    REQUIRE(diagnostics.all().empty());
    return catalog;
  }
};

}  // namespace

TEST_CASE("A stored catalog loads back the same, with its files unread", "[catalog][cache]") {
  const Cached folder;
  const Catalog read = folder.from_disk();
  REQUIRE(folder.cache().store(read, later()));
  const std::optional<Catalog> cached = folder.cache().load();
  REQUIRE(cached);
  REQUIRE(cached->migrations.size() == read.migrations.size());
  for (std::size_t i = 0; i < read.migrations.size(); ++i) {
    const auto& a = read.migrations[i];
    const auto& b = cached->migrations[i];
    CHECK(a.kind == b.kind);
    CHECK(a.form == b.form);
    CHECK(a.version == b.version);
    CHECK(a.name == b.name);
    CHECK(a.checksum == b.checksum);
    for (const auto& [x, y] : {std::pair{&a.up, &b.up}, std::pair{&a.down, &b.down}}) {
      CHECK(x->present() == y->present());
      if (!x->present())
        continue;
      CHECK(x->file->path() == y->file->path());
      CHECK(x->offset == y->offset);
      CHECK(x->length == y->length);
      CHECK(x->in_transaction == y->in_transaction);
      CHECK(x->first_line() == y->first_line());
      CHECK_FALSE(y->file->is_read());
    }
  }
  CHECK(cached->inputs.empty());                         // only generate's depfile needs them
  CHECK(cached->migrations[0].down.first_line() == 5);   // a dbmate down keeps its line
  CHECK_FALSE(cached->migrations[2].up.in_transaction);  // metadata.toml, not read again

  // An unread text is never taken for an empty one; read, it is the file's.
  const auto& up = cached->migrations[0].up;
  CHECK_THROWS_AS(up.text(), std::logic_error);
  strata::generator::Sha256 sha256;
  up.file->read_text(sha256);
  CHECK(up.text() == read.migrations[0].up.text());
}

TEST_CASE("Any change to what the catalog read makes the cache vouch for nothing",
          "[catalog][cache]") {
  Cached folder;
  REQUIRE(folder.cache().store(folder.from_disk(), later()));
  REQUIRE(folder.cache().load());
  SECTION("an edit, even one that keeps the size and the modification time") {
    const auto file = folder.root.path() / "m" / "2_b.up.sql";
    const auto modified = std::filesystem::last_write_time(file);
    folder.root.write("m/2_b.up.sql", "CREATE TABLE c (id int);\n");
    std::filesystem::last_write_time(file, modified);
  }
  SECTION("a new migration") {
    folder.root.write("m/4_d.sql", "SELECT 1;\n");
  }
  SECTION("a new file in a migration folder") {
    folder.root.write("m/3_c/down.sql", "SELECT 1;\n");
  }
  SECTION("a removed migration") {
    std::filesystem::remove(folder.root.path() / "m/2_b.down.sql");
  }
  SECTION("a new lock file") {
    folder.root.write("m/migrations.lock", "1 sha256:00\n");
  }
  SECTION("a routine folder's change") {
    folder.root.write("r/g.sql", "SELECT 1;\n");
  }
  SECTION("up.sql in a folder that was not a migration's") {
    folder.root.write("m/seeds/up.sql", "SELECT 1;\n");
  }
  SECTION("a new migration in a folder named with a trailing separator") {
    folder.options.migrations_dir = folder.root.path().string() + "/m/";
    REQUIRE(folder.cache().store(folder.from_disk(), later()));
    REQUIRE(folder.cache().load());
    folder.root.write("m/4_d.sql", "SELECT 1;\n");
  }
  SECTION("other options") {
    folder.options.ignore_globs.push_back("2_*");
  }
  CHECK_FALSE(folder.cache().load());
}

TEST_CASE("What changed within the racy window is not cached", "[catalog][cache]") {
  const Cached folder;
  // Written just now: a second edit within the same timestamp tick would not show.
  CHECK_FALSE(folder.cache().store(folder.from_disk()));
  CHECK_FALSE(folder.cache().load());
}

TEST_CASE("A damaged or foreign cache file is a miss, never an error", "[catalog][cache]") {
  const Cached folder;
  REQUIRE(folder.cache().store(folder.from_disk(), later()));
  const std::filesystem::path file = folder.cache().file();
  std::string bytes;
  {
    std::ifstream in{file, std::ios::binary};
    bytes.assign(std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{});
  }
  for (const std::size_t keep :
       {std::size_t{0}, std::size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    std::ofstream{file, std::ios::binary | std::ios::trunc} << bytes.substr(0, keep);
    CHECK_FALSE(folder.cache().load());
  }
  std::string flipped = bytes;
  flipped[flipped.size() / 3] = static_cast<char>(flipped[flipped.size() / 3] ^ 0x55);
  std::ofstream{file, std::ios::binary | std::ios::trunc} << flipped << "tail";
  CHECK_FALSE(folder.cache().load());
}

TEST_CASE("A file changed after the cache vouched for it stops the command when it is read",
          "[catalog][cache]") {
  const Cached folder;
  REQUIRE(folder.cache().store(folder.from_disk(), later()));
  const std::optional<Catalog> cached = folder.cache().load();
  REQUIRE(cached);
  folder.root.write("m/1_a.sql", "-- migrate:up\nDROP TABLE users;\n");
  strata::generator::Sha256 sha256;
  CHECK_THROWS_AS(cached->migrations[0].up.file->read_text(sha256),
                  strata::generator::SourceChanged);
  CHECK_THROWS_WITH(cached->migrations[0].up.file->read_text(sha256),
                    Catch::Contains("1_a.sql changed while strata was reading") &&
                        Catch::Contains("run the command again"));
}
