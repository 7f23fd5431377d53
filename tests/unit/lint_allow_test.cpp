// What every rule shares: a firing example per rule, silenced by `-- strata:allow <id> <reason>`
// directly above it, turned into a build failure by --warnings-as-errors; and the checks on the
// allow comments themselves.
#include <algorithm>

#include <catch2/catch.hpp>

#include "check/lint/rules.hpp"
#include "lint_fixture.hpp"

using strata::generator::SourceOptions;
using strata::test::CompileRun;
using strata::test::lint_findings;
using strata::test::run_tool;
using strata::test::TempFolder;
using Findings = std::vector<std::string>;

namespace {

struct Example {
  std::string_view rule;       // without the strata-lint- prefix
  std::string_view statement;  // fires on a table the migration did not create
};

// One firing statement per rule.
const std::vector<Example> examples = {
    {"add-column-not-null", "ALTER TABLE t ADD COLUMN a int NOT NULL;"},
    {"add-column-rewrite", "ALTER TABLE t ADD COLUMN id bigserial;"},
    {"create-index-not-concurrent", "CREATE INDEX ON t (a);"},
    {"reindex-not-concurrent", "REINDEX TABLE t;"},
    {"alter-column-type", "ALTER TABLE t ALTER COLUMN a TYPE bigint;"},
    {"drop-column", "ALTER TABLE t DROP COLUMN a;"},
    {"drop-table", "DROP TABLE t;"},
    {"rename-column", "ALTER TABLE t RENAME COLUMN a TO b;"},
    {"rename-table", "ALTER TABLE t RENAME TO u;"},
    {"foreign-key-not-valid", "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u;"},
    {"check-not-valid", "ALTER TABLE t ADD CHECK (a > 0);"},
    {"unique-without-index", "ALTER TABLE t ADD UNIQUE (a);"},
    {"set-not-null", "ALTER TABLE t ALTER COLUMN a SET NOT NULL;"},
    {"vacuum-full", "VACUUM FULL t;"},
    {"cluster", "CLUSTER t USING t_pkey;"},
    {"session-setting", "SET search_path = app;"},
    {"missing-down", "CREATE TABLE t (a int);"},
};

// Compiles the example as a one-file migration: a plain file for missing-down (no down
// section), an up/down pair otherwise; VACUUM needs to run outside a transaction. `above` goes
// on the line(s) just above the statement, which is on line 2 when `above` is empty.
CompileRun compile_example(const Example& example, std::string_view above = {},
                           SourceOptions options = {}) {
  const bool no_transaction = example.rule == "vacuum-full";
  std::string text = no_transaction ? "-- no-transaction\n" : "SELECT 1;\n";
  text += above;
  text += std::string{example.statement} + '\n';
  TempFolder root;
  if (example.rule == "missing-down") {
    root.write("m/1_a.sql", text);
  } else {
    root.write("m/1_a.up.sql", text);
    root.write("m/1_a.down.sql", "SELECT 1;\n");
  }
  return strata::test::compile_folder(root, std::move(options));
}

const Example& example(std::string_view rule) {
  return *std::find_if(examples.begin(), examples.end(),
                       [rule](const Example& e) { return e.rule == rule; });
}

std::string id_of(const Example& example) {
  return "strata-lint-" + std::string{example.rule};
}

}  // namespace

TEST_CASE("Every lint rule in the registry has a firing example in these tests", "[lint]") {
  std::vector<std::string> registered;
  for (const auto& rule : strata::generator::lint::all_rules()) {
    registered.emplace_back(rule.id);
    CHECK(!rule.summary.empty());
    CHECK(!rule.hint.empty());
  }
  std::vector<std::string> tested;
  tested.reserve(examples.size());
  for (const Example& example : examples)
    tested.push_back(id_of(example));
  CHECK(registered == tested);
}

TEST_CASE("Each rule's example fires at its statement's line with the rule's id", "[lint]") {
  for (const Example& example : examples) {
    const auto run = compile_example(example);
    INFO(run.output);
    const std::string severity = example.rule == "missing-down" ? "note" : "warning";
    CHECK(run.ok());
    CHECK(lint_findings(run) == Findings{"2:1 " + severity + ' ' + id_of(example)});
  }
}

TEST_CASE("An allow comment `-- strata:allow <rule-id> <reason>` directly above silences each rule",
          "[lint]") {
  for (const Example& example : examples) {
    const auto run = compile_example(
        example, "-- strata:allow " + id_of(example) + " the table is empty in every deployment\n");
    INFO(run.output);
    CHECK(run.ok());
    CHECK(lint_findings(run).empty());
  }
}

TEST_CASE("With --warnings-as-errors each rule's warning becomes an error, and notes stay notes",
          "[lint]") {
  SourceOptions options;
  options.warnings_as_errors = true;
  for (const Example& example : examples) {
    const auto run = compile_example(example, {}, options);
    INFO(run.output);
    if (example.rule == "missing-down") {
      CHECK(run.ok());
      CHECK(lint_findings(run) == Findings{"2:1 note " + id_of(example)});
    } else {
      CHECK_FALSE(run.ok());
      CHECK(lint_findings(run) == Findings{"2:1 error " + id_of(example)});
      CHECK(run.output.find("1 error in migrations") != std::string::npos);
    }
  }
}

TEST_CASE("An allow comment needs a reason, and then silences nothing", "[lint][allow]") {
  const auto run =
      compile_example(example("drop-table"), "-- strata:allow strata-lint-drop-table\n");
  CHECK(lint_findings(run) ==
        Findings{"3:1 warning strata-lint-drop-table", "2:1 warning strata-W602"});
}

TEST_CASE("An allow comment naming an unknown rule, or a rule that does not fire, warns",
          "[lint][allow]") {
  const auto unknown =
      compile_example(example("drop-table"), "-- strata:allow strata-lint-drop-tables x\n");
  CHECK(lint_findings(unknown) ==
        Findings{"3:1 warning strata-lint-drop-table", "2:1 warning strata-W601"});
  const auto unused =
      compile_example(example("drop-table"), "-- strata:allow strata-lint-cluster x\n");
  CHECK(lint_findings(unused) ==
        Findings{"3:1 warning strata-lint-drop-table", "2:1 warning strata-W603"});
}

TEST_CASE("Allow comments stack, and apply only to the statement directly below", "[lint][allow]") {
  const auto stacked = strata::test::lint_up(
      "-- strata:allow strata-lint-drop-column moved to `profiles` in release 12\n"
      "-- a plain comment between is fine\n"
      "-- strata:allow strata-lint-set-not-null backfilled by 20240101000000\n"
      "ALTER TABLE t DROP COLUMN a, ALTER COLUMN b SET NOT NULL;\n"
      "ALTER TABLE t DROP COLUMN c;\n");
  CHECK(lint_findings(stacked) == Findings{"5:1 warning strata-lint-drop-column"});
  const auto separated = strata::test::lint_up(
      "-- strata:allow strata-lint-drop-column a reason\n\nALTER TABLE t DROP COLUMN a;\n");
  CHECK(lint_findings(separated) ==
        Findings{"3:1 warning strata-lint-drop-column", "1:1 warning strata-W604"});
  const auto trailing =
      strata::test::lint_up("SELECT 1;\n-- strata:allow strata-lint-drop-column a reason\n");
  CHECK(lint_findings(trailing) == Findings{"2:1 warning strata-W604"});
}

TEST_CASE("An allow comment on the same line as the previous statement applies to nothing",
          "[lint][allow]") {
  const auto run = strata::test::lint_up(
      "SELECT 1; -- strata:allow strata-lint-drop-column a reason\nALTER TABLE t DROP COLUMN a;\n");
  CHECK(lint_findings(run) == Findings{"2:1 warning strata-lint-drop-column"});
}

TEST_CASE("strata check exits 0 with lint warnings, and 1 with --warnings-as-errors",
          "[lint][tool]") {
  TempFolder root;
  root.write("m/1_a.up.sql", "ALTER TABLE t ALTER COLUMN a TYPE bigint;\n");
  root.write("m/1_a.down.sql", "SELECT 1;\n");
  const std::string dir = (root.path() / "m").string();
  std::string out;
  std::string err;
  CHECK(run_tool({"check", "-d", dir}, out, err) == 0);
  CHECK(err.find(":1:1: warning: changing the type of `t.a`") != std::string::npos);
  CHECK(run_tool({"check", "-d", dir, "--warnings-as-errors"}, out, err) == 1);
  CHECK(err.find(":1:1: error: changing the type of `t.a`") != std::string::npos);
  CHECK(err.find("[strata-lint-alter-column-type]") != std::string::npos);
}

TEST_CASE("strata check --list-rules prints every rule id with its explanation", "[lint][tool]") {
  std::string out;
  std::string err;
  REQUIRE(run_tool({"check", "--list-rules"}, out, err) == 0);
  for (const auto& rule : strata::generator::lint::all_rules()) {
    const auto line = out.find(std::string{rule.id} + ' ');
    REQUIRE(line != std::string::npos);
    CHECK(out.find(rule.summary, line) < out.find('\n', line));
  }
}
