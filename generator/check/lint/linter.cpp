// Runs the rule groups over an up section, statement by statement, and applies suppressions.
#include "check/lint/linter.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "catalog/diagnostics.hpp"
#include "check/lint/allow_comments.hpp"
#include "check/lint/context.hpp"

namespace strata::generator {
namespace {

using lint::AllowComment;
using lint::Finding;
using lint::LintContext;
using lint::Rule;

// Statement types that change the schema (rather than data or session state): the ones a down
// section would have to undo.
bool changes_schema(std::string_view type) noexcept {
  if (type.starts_with("Create") || type.starts_with("Alter") || type.starts_with("Drop")) {
    return type != "AlterSystemStmt" && type != "CreatedbStmt" && type != "DropdbStmt";
  }
  return type == "IndexStmt" || type == "ViewStmt" || type == "RuleStmt" || type == "DefineStmt" ||
         type == "CompositeTypeStmt" || type == "RenameStmt";
}

// Where strata-lint-missing-down reports: the first schema change of an up section whose
// migration has no down section, or an empty one.
std::optional<std::size_t> missing_down_at(const MigrationSource& migration,
                                           const ParsedSection& up, const ParsedSection& down) {
  if (migration.down.present() && (!down.complete || !down.statements.empty()))
    return std::nullopt;
  for (std::size_t i = 0; i < up.statements.size(); ++i) {
    if (changes_schema(up.statements[i].node_type()))
      return i;
  }
  return std::nullopt;
}

class Linter {
 public:
  Linter(const SectionSource& section, Diagnostics& diagnostics)
      : m_section(section), m_text(section.text()), m_diagnostics(diagnostics) {}

  void run(const ParsedSection& up, std::optional<std::size_t> missing_down, bool down_present) {
    std::size_t floor = 0;
    for (std::size_t i = 0; i < up.statements.size(); ++i) {
      const ParsedStatement& statement = up.statements[i];
      const auto allows = lint::allow_comments_above(m_text, statement.offset, floor);
      floor = statement.end;
      m_context.start(std::span{up.statements}.subspan(i));
      if (statement.tree != nullptr) {
        lint::lint_alter_table(m_context);
        lint::lint_table_objects(m_context);
        lint::lint_session_and_locks(m_context);
      }
      if (missing_down == i) {
        m_context.report(Rule::missing_down, down_present
                                                 ? "this migration changes the schema but its "
                                                   "down section is empty"
                                                 : "this migration changes the schema but has "
                                                   "no down section");
      }
      apply(statement, m_context.take_findings(), allows);
    }
    report_stray_allows();
  }

 private:
  // Reports the findings of one statement that no allow comment silences, then the allow
  // comments that are wrong or silence nothing.
  void apply(const ParsedStatement& statement, std::vector<Finding> findings,
             const std::vector<AllowComment>& allows) {
    std::set<std::string_view> used;
    for (Finding& finding : findings) {
      const lint::RuleInfo& rule = lint::info(finding.rule);
      const bool allowed = std::any_of(allows.begin(), allows.end(), [&](const AllowComment& a) {
        return a.rule_id == rule.id && !a.reason.empty();
      });
      if (allowed) {
        used.insert(rule.id);
        continue;
      }
      m_diagnostics.add(*m_section.file, m_section.offset + statement.offset,
                        DiagnosticId::lint_rule(rule.id, rule.severity), std::move(finding.message),
                        std::string{rule.hint});
    }
    for (const AllowComment& allow : allows) {
      m_placed.insert(allow.offset);
      if (lint::find_rule(allow.rule_id) == nullptr) {
        warn(allow, "strata-W601",
             allow.rule_id.empty()
                 ? "`-- strata:allow` names no lint rule"
                 : "`-- strata:allow` names unknown lint rule `" + std::string{allow.rule_id} + '`',
             "write `-- strata:allow <rule-id> <reason>`; `strata check --list-rules` prints "
             "the ids");
      } else if (allow.reason.empty()) {
        warn(allow, "strata-W602",
             "`-- strata:allow " + std::string{allow.rule_id} +
                 "` gives no reason, so it "
                 "silences nothing",
             "say why the statement is safe after the rule id: `-- strata:allow " +
                 std::string{allow.rule_id} + " <reason>`");
      } else if (used.count(allow.rule_id) == 0) {
        warn(allow, "strata-W603",
             "`-- strata:allow " + std::string{allow.rule_id} +
                 "` silences nothing: the rule does not fire on the statement below",
             "remove the comment (or move it directly above the statement it is meant for)");
      }
    }
  }

  void report_stray_allows() {
    for (const AllowComment& allow : lint::all_allow_comments(m_text)) {
      if (m_placed.count(allow.offset) != 0)
        continue;
      warn(allow, "strata-W604", "`-- strata:allow` is not directly above a statement",
           "put it on the line just above the statement it silences, with no blank line "
           "between");
    }
  }

  void warn(const AllowComment& allow, DiagnosticId id, std::string message, std::string hint) {
    m_diagnostics.add(*m_section.file, m_section.offset + allow.offset, id, std::move(message),
                      std::move(hint));
  }

  const SectionSource& m_section;
  std::string_view m_text;
  Diagnostics& m_diagnostics;
  LintContext m_context;
  std::set<std::size_t> m_placed;  // allow comments that sit above a statement
};

}  // namespace

void lint_migration(const MigrationSource& migration, const ParsedSection& up,
                    const ParsedSection& down, Diagnostics& diagnostics) {
  if (migration.kind != MigrationKind::migration || !migration.up.present())
    return;
  Linter{migration.up, diagnostics}.run(up, missing_down_at(migration, up, down),
                                        migration.down.present());
}

namespace lint {

bool LintContext::is_fresh(const json::Value& range_var) const noexcept {
  return is_fresh(range_var["schemaname"].string(), range_var["relname"].string());
}

namespace {
// An unqualified name matches a qualified one: the search_path decides, and guessing "the same"
// errs on the side of fewer false warnings.
bool same_table(std::string_view schema, std::string_view name, std::string_view other_schema,
                std::string_view other_name) noexcept {
  return other_name == name && (schema.empty() || other_schema.empty() || other_schema == schema);
}
}  // namespace

bool LintContext::is_fresh(std::string_view schema, std::string_view name) const noexcept {
  return std::any_of(m_created.begin(), m_created.end(), [&](const Table& table) {
    return same_table(schema, name, table.schema, table.name);
  });
}

bool LintContext::is_created_later(std::string_view schema, std::string_view name) const {
  const auto later_statements = later();
  return std::any_of(
      later_statements.begin(), later_statements.end(), [&](const ParsedStatement& statement) {
        const json::Value* relation = created_relation(statement);
        return relation != nullptr && same_table(schema, name, (*relation)["schemaname"].string(),
                                                 (*relation)["relname"].string());
      });
}

void LintContext::created(std::string_view schema, std::string_view name) {
  m_created.push_back(Table{std::string{schema}, std::string{name}});
}

void LintContext::created(const json::Value& range_var) {
  created(range_var["schemaname"].string(), range_var["relname"].string());
}

void LintContext::report(Rule rule, std::string message) {
  m_findings.push_back(Finding{rule, std::move(message)});
}

std::string backticked(std::string_view text) {
  return '`' + std::string{text} + '`';
}

std::string table_name(const json::Value& range_var) {
  const std::string_view schema = range_var["schemaname"].string();
  const std::string_view name = range_var["relname"].string();
  return schema.empty() ? std::string{name} : std::string{schema} + '.' + std::string{name};
}

}  // namespace lint
}  // namespace strata::generator
