// The registry of the compiler's diagnostic ids (`strata-E…` errors, `strata-W…` warnings,
// `strata-N…` notes): one line per id with its severity, a one-line summary and an example.
//
// The ids are a public contract (users grep build logs for them and name them in CI rules): never
// renumber, rename or reuse one. A call site names its id as a string literal, and DiagnosticId
// looks the literal up here while strata compiles, so an unregistered id is a compile error; a
// unit test checks docs/diagnostics.md against this table, so a registered id cannot go
// undocumented. Lint rules have their own registry (check/lint/rules.hpp).
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>

namespace strata::generator {

enum class Severity : std::uint8_t { note, warning, error };

struct DiagnosticInfo {
  std::string_view id;  // "strata-E201": E error, W warning, N note
  Severity severity;
  std::string_view summary;  // one line: what is wrong
  std::string_view example;  // what triggers it; empty when the summary says it all
};

// To add an id: one line in its group, numbered after the group's last; then a row in
// docs/diagnostics.md.
inline constexpr DiagnosticInfo diagnostic_registry[] = {
    // File names, markers, reading (catalog/).
    {"strata-E101", Severity::error, "a .sql file name fits no migration form", "create_users.sql"},
    {"strata-E102", Severity::error, "two migrations with the same version",
     "01_a.sql, 1_b.up.sql"},
    {"strata-E103", Severity::error, "a down with no up", "3_x.down.sql alone"},
    {"strata-E104", Severity::error, "text before the first marker",
     "SELECT 1; above -- migrate:up"},
    {"strata-E105", Severity::error, "a second migrate:up or migrate:down marker", ""},
    {"strata-E106", Severity::error, "an unknown marker option", "-- migrate:up retries:3"},
    {"strata-E107", Severity::error, "a file with markers but no -- migrate:up", ""},
    {"strata-E108", Severity::error, "non-UTF-8 bytes or a NUL byte", "a Latin-1 é"},
    {"strata-W101", Severity::warning,
     "a folder mixing forms runs two migrations in another order than their own tool would",
     "dbmate 1_a.sql and 10_b.sql beside a plain 5_c.sql"},
    {"strata-W109", Severity::warning, "an empty up section",
     "-- migrate:up, then -- migrate:down"},
    {"strata-E110", Severity::error, "a file or folder that cannot be read", ""},
    {"strata-E111", Severity::error, "the migrations or routines folder does not exist", ""},
    {"strata-E112", Severity::error, "something named like a migration is not a regular file",
     "a FIFO 1_a.sql, a link to /dev/zero"},
    {"strata-E113", Severity::error,
     "a migration name that is not UTF-8 or holds a control character", "1_caf\\xe9.sql"},
    // Statements (check/).
    {"strata-E201", Severity::error, "SQL syntax error", "email VARCHAR NOT NULL,,"},
    {"strata-N201", Severity::note, "a statement not parse-checked (-- strata:unchecked)", ""},
    {"strata-E202", Severity::error, "psql input that is not SQL", "\\set x 1"},
    {"strata-E203", Severity::error, "a template placeholder, not SQL", "${schema}"},
    {"strata-E204", Severity::error, "PL/pgSQL error in a function or DO body", "SELEC 1;"},
    {"strata-E205", Severity::error, "syntax error in a LANGUAGE sql body given as a string", ""},
    // Transactions (check/transactions).
    {"strata-E301", Severity::error, "transaction control in a transactional migration", "COMMIT;"},
    {"strata-N301", Severity::note, "a file-wide BEGIN … COMMIT lifted into strata's own", ""},
    {"strata-E302", Severity::error, "a statement that cannot run in a transaction block",
     "CREATE INDEX CONCURRENTLY"},
    {"strata-W301", Severity::warning, "a transaction still open after a non-transactional section",
     "BEGIN; without COMMIT"},
    // Routines (check/routines).
    {"strata-E401", Severity::error, "a statement a routine file may not hold", "CREATE TABLE"},
    {"strata-E402", Severity::error, "two routine files with the same name", ""},
    {"strata-E403", Severity::error, "an object defined by two routine files",
     "f(int), f(integer)"},
    // The lock file (check/lock_file).
    {"strata-E501", Severity::error, "a locked migration's up SQL changed", ""},
    {"strata-E502", Severity::error, "a locked migration's file is gone", ""},
    {"strata-W503", Severity::warning, "a new migration sorts before the newest locked one", ""},
    {"strata-E504", Severity::error, "a malformed lock line, or a version locked twice", ""},
    {"strata-E505", Severity::error, "no strata-lock header, or a format this strata cannot read",
     ""},
    // Allow comments (check/lint/).
    {"strata-W601", Severity::warning, "an allow comment names no rule or an unknown one", ""},
    {"strata-W602", Severity::warning, "an allow comment gives no reason", ""},
    {"strata-W603", Severity::warning, "an allow comment's rule does not fire below it", ""},
    {"strata-W604", Severity::warning, "an allow comment not directly above a statement", ""},
};

// Every registered id, in the table's order.
[[nodiscard]] constexpr std::span<const DiagnosticInfo> all_diagnostics() noexcept {
  return diagnostic_registry;
}

namespace detail {
// Never defined: reaching it in a constant evaluation is the compile error for an unknown id.
void diagnostic_id_is_not_in_the_registry_of_catalog_diagnostic_ids_hpp();
}  // namespace detail

// An id Diagnostics accepts: one of the registry, checked at compile time, or a lint rule's.
class DiagnosticId {
 public:
  // Implicit on purpose: call sites write the literal, `diagnostics.add(file, at, "strata-E201",
  // …)`, and an id missing from diagnostic_registry does not compile.
#if defined(__clang__) && __clang_major__ < 15
  // clang 14 miscompiles an immediate invocation whose full-expression also builds temporaries
  // (they are destroyed twice), so there the check runs at compile time only where the compiler
  // evaluates constants anyway; GCC and newer clang builds keep enforcing it everywhere.
  constexpr DiagnosticId(const char* id) : DiagnosticId{registered(id)} {}  // NOLINT
#else
  consteval DiagnosticId(const char* id) : DiagnosticId{registered(id)} {}  // NOLINT
#endif

  // A lint rule's id and severity, from the lint registry (check/lint/rules.hpp).
  [[nodiscard]] static constexpr DiagnosticId lint_rule(std::string_view id,
                                                        Severity severity) noexcept {
    return DiagnosticId{DiagnosticInfo{id, severity, {}, {}}};
  }

  [[nodiscard]] constexpr std::string_view id() const noexcept {
    return m_id;
  }
  [[nodiscard]] constexpr Severity severity() const noexcept {
    return m_severity;
  }

 private:
  constexpr explicit DiagnosticId(const DiagnosticInfo& info) noexcept
      : m_id{info.id}, m_severity{info.severity} {}

  static constexpr DiagnosticInfo registered(std::string_view id) {
    for (const DiagnosticInfo& info : diagnostic_registry) {
      if (info.id == id)
        return info;
    }
    if (std::is_constant_evaluated())
      detail::diagnostic_id_is_not_in_the_registry_of_catalog_diagnostic_ids_hpp();
    throw std::logic_error{"unregistered diagnostic id"};
  }

  std::string_view m_id;
  Severity m_severity;
};

}  // namespace strata::generator
