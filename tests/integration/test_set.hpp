// Building MigrationSets by hand for the runtime's tests, as the compiler would emit them.
//
// The builder owns every string and statement list and hands out a MigrationSet of views into
// them, laid out like a dbmate file (`-- migrate:up` on line 1, the up SQL from line 2, then
// `-- migrate:down` and the down SQL), so file:line expectations read naturally.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migration_set.hpp>

namespace strata::test {

// Statement ranges of `sql` (byte offset, length, 1-based line counted from `first_line`),
// skipping blanks and comments between statements; quotes, dollar quotes and comments are
// understood. Good enough for test SQL, not a parser.
[[nodiscard]] std::vector<Statement> split_statements(std::string_view sql,
                                                      std::uint32_t first_line);

// A deterministic stand-in for the compiler's checksum: "sha256:" + a hash of `sql`.
[[nodiscard]] std::string fake_checksum(std::string_view sql);

class SetBuilder {
 public:
  // Adds a versioned migration stored in /migrations/<version>_<name>.sql (dbmate form).
  SetBuilder& migration(std::string version, std::string name, std::string up,
                        std::optional<std::string> down = std::nullopt, bool in_transaction = true);
  // Adds a routine stored in /routines/<name>.sql; `down` is its DROP ... IF EXISTS.
  SetBuilder& routine(std::string name, std::string up, std::optional<std::string> down);

  // The set; valid while this builder lives and until the next migration()/routine().
  [[nodiscard]] const MigrationSet& set();

  // The path the builder gives a migration's file.
  [[nodiscard]] static std::string path_of(std::string_view version, std::string_view name);

 private:
  struct Owned {
    MigrationKind kind = MigrationKind::migration;
    std::string version, name, checksum, path, up, down;
    std::vector<Statement> up_statements, down_statements;
    std::uint32_t down_first_line = 1;
    bool has_down = false;
    bool in_transaction = true;
  };
  std::deque<Owned> m_owned;  // stable addresses for the views
  std::vector<Migration> m_migrations;
  MigrationSet m_set;
};

}  // namespace strata::test
