// Reading a compiled table (compiled_table.hpp, laid out as detail/compiled_table_layout.hpp says):
// one record or statement at a time, in constant time, without allocating.
#include <strata/detail/compiled_table_layout.hpp>
#include <strata/migration_set.hpp>

namespace strata {
namespace {

// The `width`-digit base-64 number at `at`. The compiler wrote it, so it is well formed; there is
// nothing to validate.
std::uint32_t number_at(const char* at, unsigned width) noexcept {
  std::uint32_t value = 0;
  for (unsigned i = 0; i < width; ++i) {
    const char c = at[i];
    const int digit = c >= 'a'   ? c - 'a' + 26
                      : c >= 'A' ? c - 'A'
                      : c >= '0' ? c - '0' + 52
                      : c == '+' ? 62
                                 : 63;
    value = (value << compiled::bits_per_digit) | static_cast<std::uint32_t>(digit);
  }
  return value;
}

class Record {
 public:
  Record(const CompiledTable& table, std::size_t i) noexcept
      : m_table{table},
        m_fields{table.index + i * compiled::record_digits},
        m_offset{(*this)[compiled::text_offset]} {}

  [[nodiscard]] std::uint32_t operator[](compiled::RecordField field) const noexcept {
    return number_at(m_fields + compiled::field_position(field), compiled::record_widths[field]);
  }
  [[nodiscard]] bool has(compiled::Flag flag) const noexcept {
    return ((*this)[compiled::flags] & flag) != 0;
  }
  // The next string of the migration, in text order.
  [[nodiscard]] std::string_view next(compiled::RecordField length_field) noexcept {
    const std::string_view text{m_table.text + m_offset, (*this)[length_field]};
    m_offset += text.size();
    return text;
  }
  // `count` statements from the `first`-th on.
  [[nodiscard]] StatementList statements(std::size_t first, std::size_t count) const noexcept {
    const char* statement_area = m_table.index + m_table.count * compiled::record_digits;
    return detail::encoded_statements(statement_area + first * compiled::statement_digits, count);
  }

 private:
  const CompiledTable& m_table;
  const char* m_fields;
  std::size_t m_offset;
};

}  // namespace

StatementList detail::encoded_statements(const char* encoded, std::size_t count) noexcept {
  return StatementList{encoded, count};
}

Statement StatementList::operator[](std::size_t i) const noexcept {
  if (m_encoded == nullptr)
    return m_statements[i];
  const char* fields = m_encoded + i * compiled::statement_digits;
  auto field = [fields](compiled::StatementField which) {
    return number_at(fields + which * compiled::wide, compiled::wide);
  };
  return {field(compiled::statement_offset), field(compiled::statement_length),
          field(compiled::statement_line)};
}

Migration MigrationSet::operator[](std::size_t i) const noexcept {
  if (m_table == nullptr)
    return m_migrations[i];
  Record record{*m_table, i};
  Migration migration;
  migration.kind =
      record.has(compiled::routine) ? MigrationKind::routine : MigrationKind::migration;
  migration.version = record.next(compiled::version_length);
  migration.name = record.next(compiled::name_length);
  migration.checksum = record.next(compiled::checksum_length);

  const std::size_t first = record[compiled::first_statement];
  const std::size_t up_count = record[compiled::up_statement_count];
  migration.up.path = record.next(compiled::up_path_length);
  migration.up.sql = record.next(compiled::up_sql_length);
  migration.up.first_line = record[compiled::up_first_line];
  migration.up.in_transaction = record.has(compiled::up_in_transaction);
  migration.up.statements = record.statements(first, up_count);

  migration.down.path = record.has(compiled::down_shares_path)
                            ? migration.up.path
                            : record.next(compiled::down_path_length);
  migration.down.sql = record.next(compiled::down_sql_length);
  migration.down.first_line = record[compiled::down_first_line];
  migration.down.in_transaction = record.has(compiled::down_in_transaction);
  migration.down.statements =
      record.statements(first + up_count, record[compiled::down_statement_count]);
  return migration;
}

std::string file_label(const Migration& migration) {
  if (migration.kind == MigrationKind::routine)
    return std::string{migration.name};
  std::string_view path = migration.up.path;
  std::string_view file = path.substr(path.find_last_of('/') + 1);
  if (file == "up.sql") {  // a folder migration: the folder is its name
    path = path.substr(0, path.find_last_of('/'));
    return std::string{path.substr(path.find_last_of('/') + 1)};
  }
  for (const std::string_view suffix : {".up.sql", ".sql"}) {
    if (file.ends_with(suffix) && file.size() > suffix.size()) {
      file.remove_suffix(suffix.size());
      return std::string{file};
    }
  }
  return std::string{migration.version} + "_" + std::string{migration.name};
}

}  // namespace strata
