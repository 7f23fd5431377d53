// `strata replay`'s tracking of what each step changes: after every step only what the DDL touched
// is described again, and what depends on it when it was renamed. `-v` compares the tracked
// descriptions with a full one at the end and names anything the tracking missed: these tests
// assert it names nothing, over the DDL that real sets use.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "replay_support.hpp"
#include "support/database.hpp"

using strata::test::ProcessResult;
using strata::test::TempDatabase;
using strata::test::replay_test::Folder;
using strata::test::replay_test::replay;

// Each set's first migration names the test's database in a comment: its checksums, and so its
// kept templates, are this run's own.

TEST_CASE(
    "replay describes again what reads a renamed table, column, label, sequence, function "
    "or attribute",
    "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-renames"};
  // Views, a foreign key, defaults and a trigger name what 2_rename renames, and a table moved to
  // another schema takes its sequences along: their descriptions change with it, though the
  // commands name only what they rename. Two quoted column names
  // that differ only after a space tell a column rename from its first word.
  folder.write(
      "1_base.sql",
      "-- migrate:up\n-- " + server.name() +
          "\nCREATE TYPE mood AS ENUM ('sad', 'ok');\n"
          "CREATE SEQUENCE ticket;\n"
          "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; "
          "END $$;\n"
          "CREATE TABLE person (id int PRIMARY KEY, name text, m mood DEFAULT 'ok', "
          "n bigint DEFAULT nextval('ticket'));\n"
          "CREATE TABLE post (id int, author int REFERENCES person (id));\n"
          "CREATE VIEW names AS SELECT name FROM person;\n"
          "CREATE TRIGGER t BEFORE INSERT ON post FOR EACH ROW EXECUTE FUNCTION stamp();\n"
          "CREATE TYPE pair AS (a int, b int);\nCREATE TABLE holder (p pair);\n"
          "CREATE VIEW firsts AS SELECT (p).a FROM holder;\n"
          "CREATE TABLE quoted (\"a \"\"b\"\" c\" int);\n"
          "CREATE VIEW quoting AS SELECT \"a \"\"b\"\" c\" FROM quoted;\n"
          "CREATE SCHEMA other;\n"
          "CREATE TABLE counted (id serial, n int GENERATED ALWAYS AS IDENTITY);\n"
          "-- migrate:down\nDROP TABLE counted;\nDROP SCHEMA other;\n"
          "DROP VIEW quoting;\nDROP TABLE quoted;\n"
          "DROP VIEW firsts;\nDROP TABLE holder;\nDROP TYPE pair;\n"
          "DROP VIEW names;\nDROP TABLE post;\nDROP TABLE person;\n"
          "DROP FUNCTION stamp();\nDROP SEQUENCE ticket;\nDROP TYPE mood;\n");
  folder.write("2_rename.sql",
               "-- migrate:up\nALTER TABLE person RENAME COLUMN name TO full_name;\n"
               "ALTER TABLE person RENAME TO people;\n"
               "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\n"
               "ALTER SEQUENCE ticket RENAME TO tickets;\n"
               "ALTER FUNCTION stamp() RENAME TO stamped;\n"
               "ALTER TYPE pair RENAME ATTRIBUTE a TO x;\n"
               "ALTER TABLE quoted RENAME COLUMN \"a \"\"b\"\" c\" TO \"a \"\"b\"\" d\";\n"
               "ALTER TABLE counted SET SCHEMA other;\n"
               "-- migrate:down\nALTER TABLE other.counted SET SCHEMA public;\n"
               "ALTER TYPE pair RENAME ATTRIBUTE x TO a;\n"
               "ALTER TABLE quoted RENAME COLUMN \"a \"\"b\"\" d\" TO \"a \"\"b\"\" c\";\n"
               "ALTER FUNCTION stamped() RENAME TO stamp;\n"
               "ALTER SEQUENCE tickets RENAME TO ticket;\n"
               "ALTER TYPE mood RENAME VALUE 'fine' TO 'ok';\n"
               "ALTER TABLE people RENAME TO person;\n"
               "ALTER TABLE person RENAME COLUMN full_name TO name;\n");
  const ProcessResult result = replay(folder, server);
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("2 proved reversible") != std::string::npos);
  // -v compares what the tracking described with a full description at the end.
  CHECK(result.err.find("tracking missed") == std::string::npos);
}

TEST_CASE(
    "replay's tracking misses nothing that enum, domain, index, column, constraint, trigger, "
    "view, sequence, partition, schema, rule and inheritance DDL changes",
    "[cli][db][replay]") {
  TempDatabase server;
  Folder folder{server.name() + "-ddl"};
  // Each migration's down restores what its up changed; 02 has none.
  folder.write(
      "01_base.sql",
      "-- migrate:up\n-- " + server.name() +
          "\n"
          "CREATE TYPE mood AS ENUM ('a','b');\n"
          "CREATE DOMAIN pos AS int CHECK (VALUE > 0);\n"
          "CREATE TABLE p (id int PRIMARY KEY, m mood DEFAULT 'a', q pos, note text);\n"
          "CREATE TABLE c (id int, p_id int REFERENCES p (id));\n"
          "CREATE VIEW pv AS SELECT id, m FROM p;\n"
          "CREATE VIEW pvv AS SELECT id FROM pv;\n"
          "CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
          "CREATE TRIGGER t1 BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION tg();\n"
          "CREATE SEQUENCE s;\n"
          "CREATE TABLE part (k int, v int) PARTITION BY RANGE (k);\n"
          "CREATE TABLE part1 (k int, v int);\n"
          "-- migrate:down\n"
          "DROP TABLE part1;\n"
          "DROP TABLE part;\n"
          "DROP SEQUENCE s;\n"
          "DROP VIEW pvv;\n"
          "DROP VIEW pv;\n"
          "DROP TABLE c;\n"
          "DROP TABLE p;\n"
          "DROP FUNCTION tg();\n"
          "DROP DOMAIN pos;\n"
          "DROP TYPE mood;\n");
  folder.write("02_enum.sql",
               "-- migrate:up\n"
               "ALTER TYPE mood ADD VALUE 'c';\n");
  folder.write("03_domain.sql",
               "-- migrate:up\n"
               "ALTER DOMAIN pos ADD CONSTRAINT small CHECK (VALUE < 1000);\n"
               "-- migrate:down\n"
               "ALTER DOMAIN pos DROP CONSTRAINT small;\n");
  folder.write("04_domain_rename.sql",
               "-- migrate:up\n"
               "ALTER DOMAIN pos RENAME TO positive;\n"
               "-- migrate:down\n"
               "ALTER DOMAIN positive RENAME TO pos;\n");
  folder.write("05_index.sql",
               "-- migrate:up\n"
               "CREATE INDEX p_note ON p (note);\n"
               "-- migrate:down\n"
               "DROP INDEX p_note;\n");
  folder.write("06_type.sql",
               "-- migrate:up\n"
               "ALTER TABLE p ALTER COLUMN note TYPE varchar(50);\n"
               "-- migrate:down\n"
               "ALTER TABLE p ALTER COLUMN note TYPE text;\n");
  folder.write("07_con.sql",
               "-- migrate:up\n"
               "ALTER TABLE c ADD CONSTRAINT c_pos CHECK (id > 0);\n"
               "ALTER TABLE c RENAME CONSTRAINT c_pos TO c_positive;\n"
               "-- migrate:down\n"
               "ALTER TABLE c DROP CONSTRAINT c_positive;\n");
  folder.write("08_trig.sql",
               "-- migrate:up\n"
               "ALTER TRIGGER t1 ON p RENAME TO t2;\n"
               "-- migrate:down\n"
               "ALTER TRIGGER t2 ON p RENAME TO t1;\n");
  folder.write("09_view.sql",
               "-- migrate:up\n"
               "CREATE OR REPLACE VIEW pv AS SELECT id, m, note FROM p;\n"
               "-- migrate:down\n"
               "DROP VIEW pvv;\n"
               "DROP VIEW pv;\n"
               "CREATE VIEW pv AS SELECT id, m FROM p;\n"
               "CREATE VIEW pvv AS SELECT id FROM pv;\n");
  folder.write("10_seqown.sql",
               "-- migrate:up\n"
               "ALTER SEQUENCE s OWNED BY p.id;\n"
               "ALTER TABLE p ALTER COLUMN id SET DEFAULT nextval('s');\n"
               "-- migrate:down\n"
               "ALTER TABLE p ALTER COLUMN id DROP DEFAULT;\n"
               "ALTER SEQUENCE s OWNED BY NONE;\n");
  folder.write("11_pktype.sql",
               "-- migrate:up\n"
               "ALTER TABLE p ALTER COLUMN q TYPE int;\n"
               "-- migrate:down\n"
               "ALTER TABLE p ALTER COLUMN q TYPE positive;\n");
  folder.write("12_attach.sql",
               "-- migrate:up\n"
               "ALTER TABLE part ATTACH PARTITION part1 FOR VALUES FROM (0) TO (10);\n"
               "-- migrate:down\n"
               "ALTER TABLE part DETACH PARTITION part1;\n");
  folder.write("13_schema.sql",
               "-- migrate:up\n"
               "CREATE SCHEMA s2;\n"
               "ALTER SCHEMA s2 RENAME TO s3;\n"
               "-- migrate:down\n"
               "DROP SCHEMA s3;\n");
  folder.write("14_col_default.sql",
               "-- migrate:up\n"
               "ALTER TABLE p ALTER COLUMN m SET DEFAULT 'b';\n"
               "-- migrate:down\n"
               "ALTER TABLE p ALTER COLUMN m SET DEFAULT 'a';\n");
  folder.write("15_rule.sql",
               "-- migrate:up\n"
               "CREATE RULE r AS ON DELETE TO c DO INSTEAD NOTHING;\n"
               "-- migrate:down\n"
               "DROP RULE r ON c;\n");
  folder.write("16_inherit.sql",
               "-- migrate:up\n"
               "CREATE TABLE child (extra int) INHERITS (c);\n"
               "-- migrate:down\n"
               "DROP TABLE child;\n");
  folder.write("17_view_rename_col.sql",
               "-- migrate:up\n"
               "ALTER VIEW pv RENAME COLUMN m TO mood;\n"
               "-- migrate:down\n"
               "ALTER VIEW pv RENAME COLUMN mood TO m;\n");
  folder.write("18_fn_replace.sql",
               "-- migrate:up\n"
               "CREATE OR REPLACE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "NEW.note := 'x'; RETURN NEW; END $$;\n"
               "-- migrate:down\n"
               "CREATE OR REPLACE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "RETURN NEW; END $$;\n");
  // A parent's columns are its inheritance children's and its partitions' too, at every level.
  folder.write("19_parents.sql",
               "-- migrate:up\n"
               "CREATE TABLE part11 (k int, v int) PARTITION BY RANGE (v);\n"
               "ALTER TABLE part ATTACH PARTITION part11 FOR VALUES FROM (10) TO (20);\n"
               "CREATE TABLE part111 PARTITION OF part11 FOR VALUES FROM (0) TO (5);\n"
               "CREATE TABLE grandchild () INHERITS (child);\n"
               "ALTER TABLE c ADD COLUMN added int;\n"
               "ALTER TABLE c ALTER COLUMN id TYPE bigint;\n"
               "ALTER TABLE part ADD COLUMN w int;\n"
               "-- migrate:down\n"
               "ALTER TABLE part DROP COLUMN w;\n"
               "ALTER TABLE c ALTER COLUMN id TYPE int;\n"
               "ALTER TABLE c DROP COLUMN added;\n"
               "DROP TABLE grandchild;\n"
               "DROP TABLE part11;\n");
  const ProcessResult result = replay(folder, server);
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("18 proved reversible, 1 irreversible") != std::string::npos);
  CHECK(result.err.find("tracking missed") == std::string::npos);
}
