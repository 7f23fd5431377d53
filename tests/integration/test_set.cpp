// SetBuilder and the naive statement splitter for hand-built test migrations.
#include "integration/test_set.hpp"

#include "stable_hash.hpp"

namespace strata::test {
namespace {

std::uint32_t count_lines(std::string_view text) {
  std::uint32_t lines = 0;
  for (const char c : text)
    lines += c == '\n' ? 1U : 0U;
  return lines;
}

}  // namespace

std::vector<Statement> split_statements(std::string_view sql, std::uint32_t first_line) {
  std::vector<Statement> statements;
  std::size_t start = std::string_view::npos;  // first non-blank, non-comment byte
  std::size_t i = 0;
  const auto finish = [&](std::size_t end) {
    if (start != std::string_view::npos) {
      statements.push_back(Statement{static_cast<std::uint32_t>(start),
                                     static_cast<std::uint32_t>(end - start),
                                     first_line + count_lines(sql.substr(0, start))});
    }
    start = std::string_view::npos;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (sql.substr(i, 2) == "--") {
      const std::size_t eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? sql.size() : eol + 1;
      continue;
    }
    if (sql.substr(i, 2) == "/*") {
      const std::size_t close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == ';') {
      finish(i);
      ++i;
      continue;
    }
    if (start == std::string_view::npos)
      start = i;
    if (c == '\'' || c == '"') {
      std::size_t close = i + 1;
      while (close < sql.size()) {
        if (sql[close] == c && (close + 1 >= sql.size() || sql[close + 1] != c))
          break;
        close += sql[close] == c ? 2 : 1;
      }
      i = close + 1;
    } else if (c == '$') {
      const std::size_t tag_end = sql.find('$', i + 1);
      const std::string_view tag = sql.substr(i, tag_end - i + 1);
      const std::size_t close = sql.find(tag, tag_end + 1);
      i = close == std::string_view::npos ? sql.size() : close + tag.size();
    } else {
      ++i;
    }
  }
  finish(sql.size());
  return statements;
}

std::string fake_checksum(std::string_view sql) {
  return "sha256:" + strata::detail::StableHash{}.add(sql).hex() + std::string(48, '0');
}

std::string SetBuilder::path_of(std::string_view version, std::string_view name) {
  return "/migrations/" + std::string{version} + "_" + std::string{name} + ".sql";
}

SetBuilder& SetBuilder::migration(std::string version, std::string name, std::string up,
                                  std::optional<std::string> down, bool in_transaction) {
  Owned& owned = m_owned.emplace_back();
  owned.path = path_of(version, name);
  owned.version = std::move(version);
  owned.name = std::move(name);
  owned.checksum = fake_checksum(up);
  owned.up = std::move(up);
  owned.up_statements = split_statements(owned.up, 2);
  owned.in_transaction = in_transaction;
  if (down) {
    owned.has_down = true;
    owned.down = std::move(*down);
    owned.down_first_line = 2 + count_lines(owned.up) + 1;
    owned.down_statements = split_statements(owned.down, owned.down_first_line);
  }
  return *this;
}

SetBuilder& SetBuilder::routine(std::string name, std::string up, std::optional<std::string> down) {
  Owned& owned = m_owned.emplace_back();
  owned.kind = MigrationKind::routine;
  owned.path = "/routines/" + name + ".sql";
  owned.name = std::move(name);
  owned.checksum = fake_checksum(up);
  owned.up = std::move(up);
  owned.up_statements = split_statements(owned.up, 1);
  if (down) {
    owned.has_down = true;
    owned.down = std::move(*down);
    owned.down_statements = split_statements(owned.down, 1);
  }
  return *this;
}

const MigrationSet& SetBuilder::set() {
  m_migrations.clear();
  for (const Owned& owned : m_owned) {
    Migration migration;
    migration.kind = owned.kind;
    migration.version = owned.version;
    migration.name = owned.name;
    migration.checksum = owned.checksum;
    const std::uint32_t up_line = owned.kind == MigrationKind::routine ? 1 : 2;
    migration.up = Section{owned.up, std::span{owned.up_statements}, owned.path, up_line,
                           owned.kind == MigrationKind::routine || owned.in_transaction};
    if (owned.has_down) {
      migration.down =
          Section{owned.down, std::span{owned.down_statements}, owned.path, owned.down_first_line,
                  owned.kind == MigrationKind::routine || owned.in_transaction};
    }
    m_migrations.push_back(migration);
  }
  m_set = MigrationSet{m_migrations};
  return m_set;
}

}  // namespace strata::test
