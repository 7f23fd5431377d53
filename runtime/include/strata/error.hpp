// The exceptions the strata runtime throws: one shallow family rooted at strata::Error.
//
// Each kind carries the facts a caller acts on rather than a deep taxonomy (libpqxx 8 flattened its
// tree for the same reason). Every message starts with where: the migration and its file:line, the
// option, or the server. No message ever contains a password: connection strings are redacted
// before they reach one.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace strata {

// Root of everything strata throws. `what()` is one line a human can act on.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input from the user of the API or CLI: an invalid option value, an unparsable connection
// string, an unknown version given to `--to`. Nothing was sent to the database.
class ConfigurationError : public Error {
 public:
  using Error::Error;
};

// The server could not be reached or refused the connection (wrong password, missing database).
class ConnectionError : public Error {
 public:
  using Error::Error;
};

// Where in a migration's source file a server error points.
struct SourcePosition {
  std::string path;        // absolute path of the migration file; empty when unknown
  std::uint32_t line = 0;  // 1-based; 0 when unknown
  std::uint32_t column = 0;
};

// The server rejected a statement. Carries the server's error fields and, when the statement came
// from a migration, that migration and the position mapped back to its source file.
class SqlError : public Error {
 public:
  struct Fields {
    std::string sqlstate;        // five characters, e.g. "42P01"
    std::string message;         // the server's primary message
    std::string detail;          // may be empty
    std::string hint;            // may be empty
    std::string statement;       // the SQL that failed (may be a whole migration)
    std::uint32_t position = 0;  // 1-based character offset in `statement`; 0 when not given
    std::string version;         // migration version; empty when not from a migration
    std::string migration_name;  // migration or routine name; empty when not from a migration
    SourcePosition source;       // where `position` points in the migration's file
    bool connection_usable = true;
  };

  SqlError(const std::string& what, Fields fields) : Error(what), m_fields(std::move(fields)) {}

  [[nodiscard]] const std::string& sqlstate() const noexcept { return m_fields.sqlstate; }
  [[nodiscard]] const Fields& fields() const noexcept { return m_fields; }

 private:
  Fields m_fields;
};

// Why the runtime refused to run: the history table and the embedded migrations disagree.
enum class Refusal : std::uint8_t {
  drift,            // an applied migration's checksum differs from the embedded one
  unknown,          // the database has versions this binary does not know
  out_of_order,     // a pending version is older than the newest applied one
  failed,           // a non-transactional migration failed part-way and awaits `resolve`
  no_down,          // a rollback reached a migration without down SQL
  failed_rollback,  // a non-transactional down stopped part-way and awaits `resolve`
  not_adopted,      // another tool's history table is present and strata's does not exist
  adopt,            // adopt() found the other tool's history unfinished, or not matching the files
};

// The run was refused before anything changed. Names every migration concerned; the message says
// which option or command overrides or resolves it.
class RefusedError : public Error {
 public:
  RefusedError(const std::string& what, Refusal reason, std::vector<std::string> versions)
      : Error(what), m_reason(reason), m_versions(std::move(versions)) {}

  [[nodiscard]] Refusal reason() const noexcept { return m_reason; }
  [[nodiscard]] const std::vector<std::string>& versions() const noexcept { return m_versions; }

 private:
  Refusal m_reason;
  std::vector<std::string> m_versions;
};

// Another process held the migration lock for longer than the lock timeout.
class LockTimeoutError : public Error {
 public:
  using Error::Error;
};

}  // namespace strata
