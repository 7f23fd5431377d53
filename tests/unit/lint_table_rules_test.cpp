// The ALTER TABLE rules: each fires at its statement's line on a table the migration did not
// create, and stays quiet on a fresh table and on the safe form of the statement.
#include <catch2/catch.hpp>

#include "lint_fixture.hpp"

using strata::test::lint_findings;
using strata::test::lint_up;
using strata::test::warning_at;
using Findings = std::vector<std::string>;

TEST_CASE("Adding a NOT NULL column without a default to an existing table warns at its line",
          "[lint]") {
  const auto run =
      lint_up("-- a comment\nSELECT 1;\nALTER TABLE users\n  ADD COLUMN email text NOT NULL;\n");
  INFO(run.output);
  CHECK(run.ok());
  CHECK(lint_findings(run) == Findings{warning_at(3, "add-column-not-null")});
  CHECK(run.output.find("column `users.email` is added NOT NULL without a default") !=
        std::string::npos);
  CHECK(run.output.find("hint: add the column as nullable") != std::string::npos);
}

TEST_CASE("A NOT NULL column with a constant default, or a nullable one, does not warn", "[lint]") {
  CHECK(lint_findings(lint_up("ALTER TABLE users ADD COLUMN a int NOT NULL DEFAULT 0;\n")).empty());
  CHECK(lint_findings(lint_up("ALTER TABLE users ADD COLUMN a int;\n")).empty());
  CHECK(lint_findings(lint_up("ALTER TABLE users ADD COLUMN a timestamptz NOT NULL DEFAULT now(),\n"
                              "  ADD COLUMN b timestamptz DEFAULT CURRENT_TIMESTAMP;\n"))
            .empty());
}

TEST_CASE("A new column that gives every row a computed value warns that it rewrites the table",
          "[lint]") {
  // Serial and identity columns have a default, so they are not add-column-not-null.
  const auto serial = lint_up("SELECT 1;\nALTER TABLE users ADD COLUMN a bigserial NOT NULL;\n");
  CHECK(lint_findings(serial) == Findings{warning_at(2, "add-column-rewrite")});
  CHECK(serial.output.find("column `users.a` is added as a bigserial column: every row gets a "
                           "value") != std::string::npos);
  CHECK(lint_findings(lint_up(
            "ALTER TABLE users ADD COLUMN a int NOT NULL GENERATED ALWAYS AS IDENTITY;\n")) ==
        Findings{warning_at(1, "add-column-rewrite")});
  CHECK(lint_findings(
            lint_up("ALTER TABLE users ADD COLUMN a int GENERATED ALWAYS AS (id + 1) STORED;\n")) ==
        Findings{warning_at(1, "add-column-rewrite")});
  const auto uuid = lint_up("ALTER TABLE users ADD COLUMN a uuid DEFAULT gen_random_uuid();\n");
  CHECK(lint_findings(uuid) == Findings{warning_at(1, "add-column-rewrite")});
  CHECK(uuid.output.find("is added with default gen_random_uuid()") != std::string::npos);
  CHECK(lint_findings(lint_up("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a bigserial;\n"))
            .empty());
}

TEST_CASE("ALTER TABLE on a table created earlier in the same migration never warns", "[lint]") {
  const auto run = lint_up(
      "CREATE TABLE public.users (id int);\n"
      "ALTER TABLE users ADD COLUMN email text NOT NULL, ALTER COLUMN id TYPE bigint,\n"
      "  ADD CONSTRAINT c CHECK (id > 0), ADD UNIQUE (email), ALTER COLUMN id SET NOT NULL,\n"
      "  ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES other (id), DROP COLUMN email;\n"
      "ALTER TABLE users RENAME COLUMN id TO user_id;\n"
      "ALTER TABLE users RENAME TO people;\n"
      "CREATE INDEX ON people (user_id);\n"
      "DROP TABLE people;\n");
  INFO(run.output);
  CHECK(lint_findings(run).empty());
}

TEST_CASE("A table created by CREATE TABLE AS or SELECT INTO is fresh too", "[lint]") {
  CHECK(
      lint_findings(lint_up("CREATE TABLE t AS SELECT 1 AS a;\nCREATE INDEX ON t (a);\n")).empty());
  CHECK(lint_findings(lint_up("SELECT 1 AS a INTO t;\nALTER TABLE t ALTER a SET NOT NULL;\n"))
            .empty());
  CHECK(lint_findings(lint_up("CREATE TABLE other (a int);\nCREATE INDEX ON t (a);\n")) ==
        Findings{warning_at(2, "create-index-not-concurrent")});
  // A schema-qualified table is not the same-named table of another schema.
  CHECK(lint_findings(lint_up("CREATE TABLE a.t (x int);\nCREATE INDEX ON b.t (x);\n")) ==
        Findings{warning_at(2, "create-index-not-concurrent")});
}

TEST_CASE("ALTER COLUMN TYPE on an existing table warns", "[lint]") {
  const auto run = lint_up("ALTER TABLE users ALTER COLUMN id TYPE bigint;\n");
  CHECK(lint_findings(run) == Findings{warning_at(1, "alter-column-type")});
  CHECK(run.output.find("changing the type of `users.id`") != std::string::npos);
}

TEST_CASE("DROP COLUMN on an existing table warns", "[lint]") {
  const auto run = lint_up("SELECT 1;\n\nALTER TABLE users DROP COLUMN IF EXISTS email;\n");
  CHECK(lint_findings(run) == Findings{warning_at(3, "drop-column")});
}

TEST_CASE("SET NOT NULL on an existing column warns, DROP NOT NULL does not", "[lint]") {
  CHECK(lint_findings(lint_up("ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n")) ==
        Findings{warning_at(1, "set-not-null")});
  CHECK(lint_findings(lint_up("ALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n")).empty());
}

TEST_CASE("ADD FOREIGN KEY without NOT VALID warns, NOT VALID and VALIDATE do not", "[lint]") {
  const auto run = lint_up(
      "ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users;\n");
  CHECK(lint_findings(run) == Findings{warning_at(1, "foreign-key-not-valid")});
  CHECK(run.output.find("FOREIGN KEY `orders_user` on `orders` without NOT VALID") !=
        std::string::npos);
  CHECK(lint_findings(lint_up("ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) "
                              "REFERENCES users NOT VALID;\n"
                              "ALTER TABLE orders VALIDATE CONSTRAINT f;\n"))
            .empty());
  // A new column with REFERENCES has no NOT VALID form: it warns too.
  CHECK(lint_findings(lint_up("ALTER TABLE orders ADD COLUMN user_id int REFERENCES users;\n")) ==
        Findings{warning_at(1, "foreign-key-not-valid")});
}

TEST_CASE("A FOREIGN KEY in a new table's definition does not warn", "[lint]") {
  CHECK(lint_findings(lint_up("CREATE TABLE orders (user_id int REFERENCES users);\n")).empty());
}

TEST_CASE("ADD CHECK without NOT VALID warns, NOT VALID does not", "[lint]") {
  CHECK(lint_findings(lint_up("SELECT 1;\nALTER TABLE t ADD CHECK (a > 0);\n")) ==
        Findings{warning_at(2, "check-not-valid")});
  CHECK(
      lint_findings(lint_up("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n")).empty());
}

TEST_CASE("ADD UNIQUE or PRIMARY KEY warns unless it is USING INDEX", "[lint]") {
  CHECK(lint_findings(lint_up("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);\n")) ==
        Findings{warning_at(1, "unique-without-index")});
  CHECK(lint_findings(lint_up("ALTER TABLE t ADD PRIMARY KEY (a);\n")) ==
        Findings{warning_at(1, "unique-without-index")});
  CHECK(lint_findings(lint_up("ALTER TABLE t ADD COLUMN b int UNIQUE;\n")) ==
        Findings{warning_at(1, "unique-without-index")});
  CHECK(lint_findings(lint_up("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX t_a;\n"
                              "ALTER TABLE t ADD CONSTRAINT p PRIMARY KEY USING INDEX t_b;\n"))
            .empty());
}

TEST_CASE("Several subcommands of one ALTER TABLE each report, all at the statement's line",
          "[lint]") {
  const auto run = lint_up(
      "SELECT 1;\nALTER TABLE t\n  ALTER COLUMN a TYPE text,\n  DROP COLUMN b,\n"
      "  ALTER COLUMN c SET NOT NULL;\n");
  CHECK(lint_findings(run) == Findings{warning_at(2, "alter-column-type"),
                                       warning_at(2, "drop-column"),
                                       warning_at(2, "set-not-null")});
}

TEST_CASE("ALTER TABLE rules apply to tables only, not to ALTER INDEX or ALTER VIEW", "[lint]") {
  CHECK(lint_findings(lint_up("ALTER INDEX i SET (fillfactor = 70);\n"
                              "ALTER VIEW v ALTER COLUMN a SET DEFAULT 1;\n"))
            .empty());
}
