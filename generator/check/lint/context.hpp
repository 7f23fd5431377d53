// What a lint rule sees while it looks at one statement: the statement, the statements after it,
// the tables this migration created so far, and a way to report a finding. The linter applies
// suppression comments and turns findings into diagnostics; rules only decide.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "check/json.hpp"
#include "check/lint/rules.hpp"
#include "check/statements.hpp"

namespace strata::generator::lint {

struct Finding {
  Rule rule;
  std::string message;
};

class LintContext {
 public:
  // The statement being linted and the ones after it in the same section.
  [[nodiscard]] const ParsedStatement& statement() const noexcept { return m_rest.front(); }
  [[nodiscard]] std::span<const ParsedStatement> later() const noexcept {
    return m_rest.subspan(1);
  }

  // Whether the migration created this table (a RangeVar node, or schema and name) before the
  // current statement. A table with no rows and no readers yet cannot be locked or broken.
  [[nodiscard]] bool is_fresh(const json::Value& range_var) const noexcept;
  [[nodiscard]] bool is_fresh(std::string_view schema, std::string_view name) const noexcept;
  // Whether a statement after the current one creates this table.
  [[nodiscard]] bool is_created_later(std::string_view schema, std::string_view name) const;
  // Records a table the current statement creates.
  void created(std::string_view schema, std::string_view name);
  void created(const json::Value& range_var);

  void report(Rule rule, std::string message);

  // Used by the linter: moves to the next statement, hands over the findings of the last one.
  void start(std::span<const ParsedStatement> rest) noexcept { m_rest = rest; }
  [[nodiscard]] std::vector<Finding> take_findings() noexcept {
    return std::exchange(m_findings, {});
  }

 private:
  struct Table {
    std::string schema;  // empty when the migration did not qualify the name
    std::string name;
  };
  std::span<const ParsedStatement> m_rest;
  std::vector<Table> m_created;
  std::vector<Finding> m_findings;
};

// The RangeVar of the table or materialized view a statement creates (CREATE TABLE, CREATE
// TABLE AS, SELECT … INTO), or null.
[[nodiscard]] const json::Value* created_relation(const ParsedStatement& statement) noexcept;

// `schema.name` or `name` of a RangeVar node, as written (after the parser's case folding).
[[nodiscard]] std::string table_name(const json::Value& range_var);

// `text` in backticks, the way messages quote SQL names.
[[nodiscard]] std::string backticked(std::string_view text);

// The rule groups, one file each. Each looks at ctx.statement() and reports what it finds.
void lint_alter_table(LintContext& ctx);        // alter_table_rules.cpp
void lint_table_objects(LintContext& ctx);      // object_rules.cpp: create, index, drop, rename
void lint_session_and_locks(LintContext& ctx);  // session_rules.cpp: SET, VACUUM FULL, CLUSTER

}  // namespace strata::generator::lint
