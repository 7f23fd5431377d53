// How strata reads other tools' migrations without a database: the version each tool gives a file,
// and Flyway's checksum, against the values research/formats.md took from those tools.
#include "foreign.hpp"

#include <strata/version_order.hpp>

#include <catch2/catch.hpp>

using strata::ForeignTool;
using strata::detail::flyway_checksum;
using strata::detail::foreign_version;

namespace {
strata::Migration file(std::string_view path) {
  strata::Migration migration;
  migration.version = "1";
  migration.up.path = path;
  return migration;
}
}  // namespace

TEST_CASE("Flyway's checksum is the CRC-32 of the lines, blind to line ends and a BOM",
          "[foreign]") {
  CHECK(flyway_checksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n") == 169406234);
  CHECK(flyway_checksum("CREATE TABLE t (id int);\r\nINSERT INTO t VALUES (1);\r\n") == 169406234);
  CHECK(flyway_checksum("\xEF\xBB\xBF"
                        "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);") == 169406234);
  CHECK(flyway_checksum("CREATE TABLE t (id int);\n\n\nINSERT INTO t VALUES (1);\n") == 169406234);
  CHECK(flyway_checksum("CREATE TABLE t (id int);\nINSERT INTO t VALUES (2);\n") == 140398915);
  CHECK(flyway_checksum("") == 0);
}

TEST_CASE("Each tool gives a file the version it records, or none", "[foreign]") {
  CHECK(foreign_version(ForeignTool::dbmate, file("/m/001_a.sql")) == "001");
  CHECK(foreign_version(ForeignTool::dbmate, file("/m/20260213_120530_x.sql")) == "20260213");
  CHECK(foreign_version(ForeignTool::sqlx, file("/m/01_setup.sql")) == "1");
  CHECK(foreign_version(ForeignTool::golang_migrate, file("/m/0003_c.up.sql")) == "3");
  CHECK_FALSE(foreign_version(ForeignTool::golang_migrate, file("/m/3_c.sql")));
  CHECK(foreign_version(ForeignTool::goose, file("/m/00110_qux.sql")) == "110");
  CHECK_FALSE(foreign_version(ForeignTool::goose, file("/m/00000_foo.sql")));
  CHECK(foreign_version(ForeignTool::flyway, file("/m/V009_4__x.sql")) == "9.4");
  CHECK(foreign_version(ForeignTool::flyway, file("/m/V1.0__x.sql")) == "1");
  CHECK(foreign_version(ForeignTool::diesel, file("/m/2023-05-23-1715-update/up.sql")) ==
        "202305231715update");
  CHECK_FALSE(foreign_version(ForeignTool::diesel, file("/m/1_a.sql")));
  CHECK(foreign_version(ForeignTool::node_pg_migrate, file("/m/1700000000000_a.sql")) ==
        "1700000000000_a");
  CHECK(strata::diesel_version("2020-12-7-190800_x") == "2020127190800");
}

TEST_CASE("A migration is shown by its own file name", "[catalog]") {
  CHECK(strata::file_label(file("/m/0000-init_schema.up.sql")) == "0000-init_schema");
  CHECK(strata::file_label(file("/m/20260213_120530_add_settings.sql")) ==
        "20260213_120530_add_settings");
  CHECK(strata::file_label(file("/m/V1_1__create.sql")) == "V1_1__create");
  CHECK(strata::file_label(file("/m/2023-05-23-1715-update/up.sql")) == "2023-05-23-1715-update");
  strata::Migration no_path;
  no_path.version = "3";
  no_path.name = "c";
  CHECK(strata::file_label(no_path) == "3_c");
}
