// Fills the templates with the table.
#include "emit/emitter.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <iterator>
#include <stdexcept>

#include <strata/compiled_table.hpp>
#include <strata/detail/compiled_table_layout.hpp>
#include <strata/version.hpp>

#include "emit/cpp_literal.hpp"
#include "emit/templates.hpp"

namespace strata::generator {
namespace {

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// `text` as it may appear in a `//` comment: no newline ends it early and no trailing backslash
// splices the next line (a literal of the table) into it.
std::string comment_safe(std::string_view text) {
  std::string result{text};
  std::replace_if(
      result.begin(), result.end(), [](char c) { return c == '\n' || c == '\r' || c == '\\'; },
      ' ');
  return result;
}

// Writes the two literals of a compiled table (<strata/compiled_table.hpp>, its record layout in
// <strata/detail/compiled_table_layout.hpp>): the text, one source line per SQL line under a
// comment naming the migration, and the index, one line per record.
// An aggregate of string_views and spans would be constant-evaluated entry by entry (10,000
// migrations: seconds even when linear); literals are only lexed. Nothing is indented: every
// byte of the unit costs compile time.
class TableWriter {
 public:
  explicit TableWriter(std::filesystem::path migrations_dir)
      : m_migrations_dir{std::move(migrations_dir)} {}

  // For the error when a field overflows, in RecordField order.
  static constexpr std::array<std::string_view, compiled::record_fields> field_names = {
      "flags",
      "text offset",
      "version length",
      "name length",
      "checksum length",
      "up path length",
      "up SQL length",
      "down path length",
      "down SQL length",
      "up first line",
      "down first line",
      "statement number",
      "up statement count",
      "down statement count"};

  void add(const strata::Migration& migration) {
    const std::string up_path = relative_path(migration.up.path);
    const std::string down_path = relative_path(migration.down.path);
    std::uint32_t flags = 0;
    auto flag = [&flags](bool set, compiled::Flag bit) {
      if (set)
        flags |= bit;
    };
    const bool shares_path = migration.down.present() && migration.down.path == migration.up.path;
    flag(migration.kind == strata::MigrationKind::routine, compiled::routine);
    flag(migration.up.in_transaction, compiled::up_in_transaction);
    flag(migration.down.in_transaction, compiled::down_in_transaction);
    flag(shares_path, compiled::down_shares_path);

    std::array<std::size_t, compiled::record_fields> record{};
    record[compiled::flags] = flags;
    record[compiled::text_offset] = m_text_size;
    record[compiled::version_length] = migration.version.size();
    record[compiled::name_length] = migration.name.size();
    record[compiled::checksum_length] = migration.checksum.size();
    record[compiled::up_path_length] = up_path.size();
    record[compiled::up_sql_length] = migration.up.sql.size();
    record[compiled::down_path_length] = shares_path ? 0 : down_path.size();
    record[compiled::down_sql_length] = migration.down.sql.size();
    record[compiled::up_first_line] = migration.up.first_line;
    record[compiled::down_first_line] = migration.down.first_line;
    record[compiled::first_statement] = m_statement_count;
    record[compiled::up_statement_count] = migration.up.statements.size();
    record[compiled::down_statement_count] = migration.down.statements.size();

    const std::string label =
        comment_safe(migration.version.empty()
                         ? std::string{migration.name}
                         : std::string{migration.version} + '_' + std::string{migration.name});
    m_text += "\n// " + label + "\n";
    append_text(migration.version);
    append_text(migration.name);
    append_text(migration.checksum);
    append_text(up_path);
    append_text(migration.up.sql);
    if (!shares_path)
      append_text(down_path);
    append_text(migration.down.sql);

    m_index += '"';
    for (unsigned field = 0; field < compiled::record_fields; ++field)
      m_index += digits(record[field], compiled::record_widths[field], field_names[field], label);
    m_index += "\"  // " + label + '\n';
    for (const strata::Section* section : {&migration.up, &migration.down}) {
      for (const strata::Statement statement : section->statements) {
        m_statements += '"';
        for (const std::uint32_t number : {statement.offset, statement.length, statement.line})
          m_statements += digits(number, compiled::wide, "statement", label);
        m_statements += "\"\n";
      }
      m_statement_count += section->statements.size();
    }
  }

  // The definitions of `text` and `index`, which the template puts in an anonymous namespace.
  [[nodiscard]] std::string literals() const {
    if (m_index.empty())
      return "constexpr char text[] = \"\";\nconstexpr char index[] = \"\";\n";
    std::string out =
        "// Every string of the table, migration after migration: version, name, checksum, path,\n"
        "// up SQL, down path (unless the up file's), down SQL.\n"
        "constexpr char text[] =" +
        m_text +
        ";\n\n"
        "// Per migration, the numbers of <strata/compiled_table.hpp> in base 64; then every\n"
        "// statement: offset, length, line.\n"
        "constexpr char index[] =\n" +
        m_index;
    if (!m_statements.empty())
      out += "// statements\n" + m_statements;
    return out + ";\n";
  }

 private:
  // `path` relative to the migrations folder, with `/` separators; empty stays empty.
  [[nodiscard]] std::string relative_path(std::string_view path) const {
    if (path.empty())
      return {};
    const std::filesystem::path relative =
        std::filesystem::path{path}.lexically_relative(m_migrations_dir);
    return relative.empty() ? std::filesystem::path{path}.generic_string()
                            : relative.generic_string();
  }

  void append_text(std::string_view value) {
    if (value.empty())
      return;
    m_text += cpp_string_literal(value) + '\n';
    m_text_size += value.size();
  }

  // `number` in `width` base-64 digits (<strata/detail/compiled_table_layout.hpp>).
  static std::string digits(std::size_t number, unsigned width, std::string_view what,
                            std::string_view label) {
    const std::size_t limit = std::size_t{1} << (compiled::bits_per_digit * width);
    if (number >= limit || number > 0xFFFF'FFFFU)
      throw std::length_error{std::string{label} + ": its " + std::string{what} + " (" +
                              std::to_string(number) + ") is more than a generated table can hold"};
    std::string out(width, 'A');
    for (std::size_t i = width; i-- > 0; number >>= compiled::bits_per_digit)
      out[i] = compiled::base64_digits[number & 63U];
    return out;
  }

  std::filesystem::path m_migrations_dir;
  std::string m_text;
  std::size_t m_text_size = 0;
  std::string m_index;
  std::string m_statements;
  std::size_t m_statement_count = 0;
};

}  // namespace

EmittedFiles emit(const strata::MigrationSet& set, const EmitOptions& options) {
  std::filesystem::path folder = options.migrations_dir.lexically_normal();
  if (!folder.has_filename())
    folder = folder.parent_path();  // "db/migrations/" names the same folder as "db/migrations"
  TableWriter writer{folder};
  std::size_t migrations = 0;
  std::size_t routines = 0;
  for (const strata::Migration migration : set) {
    writer.add(migration);
    ++(migration.kind == strata::MigrationKind::routine ? routines : migrations);
  }
  const std::string source = comment_safe(folder.filename().string() + "/");
  const std::string count =
      std::to_string(migrations) + " migrations, " + std::to_string(routines) + " routines";
  auto fill = [&](std::string_view text) {
    std::string result{text};
    result = replace_all(std::move(result), "@NAMESPACE@", options.name_space);
    result = replace_all(std::move(result), "@STRATA_VERSION@", strata::version_string);
    result = replace_all(std::move(result), "@COUNT@", count);
    result = replace_all(std::move(result), "@SIZE@", std::to_string(set.size()));
    result = replace_all(std::move(result), "@FORMAT@", std::to_string(compiled_table_format));
    result = replace_all(std::move(result), "@SOURCE@", source);
    return result;
  };
  EmittedFiles files;
  // Last, so that nothing in the name can be taken for a placeholder.
  files.header = replace_all(
      fill(templates::header), "@HISTORY_TABLE@",
      options.history_table.empty() ? "" : ", " + cpp_string_literal(options.history_table));
  // The literals go in last: SQL text must never be searched for placeholders.
  files.source = fill(templates::source);
  const std::size_t literals_at = files.source.find("@LITERALS@");
  if (literals_at != std::string::npos)
    files.source.replace(literals_at, std::string_view{"@LITERALS@"}.size(), writer.literals());
  return files;
}

bool is_valid_namespace(std::string_view name) noexcept {
  // Every C++20 keyword and alternative token, and the two namespaces the generated code names.
  // add_migrations() checks NAMESPACE against the same words at configure time
  // (_strata_is_cxx_keyword in cmake/StrataAddMigrations.cmake); a unit test keeps them equal.
  static constexpr std::array<std::string_view, 94> reserved = {"alignas",
                                                                "alignof",
                                                                "and",
                                                                "and_eq",
                                                                "asm",
                                                                "auto",
                                                                "bitand",
                                                                "bitor",
                                                                "bool",
                                                                "break",
                                                                "case",
                                                                "catch",
                                                                "char",
                                                                "char8_t",
                                                                "char16_t",
                                                                "char32_t",
                                                                "class",
                                                                "compl",
                                                                "concept",
                                                                "const",
                                                                "consteval",
                                                                "constexpr",
                                                                "constinit",
                                                                "const_cast",
                                                                "continue",
                                                                "co_await",
                                                                "co_return",
                                                                "co_yield",
                                                                "decltype",
                                                                "default",
                                                                "delete",
                                                                "do",
                                                                "double",
                                                                "dynamic_cast",
                                                                "else",
                                                                "enum",
                                                                "explicit",
                                                                "export",
                                                                "extern",
                                                                "false",
                                                                "float",
                                                                "for",
                                                                "friend",
                                                                "goto",
                                                                "if",
                                                                "inline",
                                                                "int",
                                                                "long",
                                                                "mutable",
                                                                "namespace",
                                                                "new",
                                                                "noexcept",
                                                                "not",
                                                                "not_eq",
                                                                "nullptr",
                                                                "operator",
                                                                "or",
                                                                "or_eq",
                                                                "private",
                                                                "protected",
                                                                "public",
                                                                "register",
                                                                "reinterpret_cast",
                                                                "requires",
                                                                "return",
                                                                "short",
                                                                "signed",
                                                                "sizeof",
                                                                "static",
                                                                "static_assert",
                                                                "static_cast",
                                                                "struct",
                                                                "switch",
                                                                "template",
                                                                "this",
                                                                "thread_local",
                                                                "throw",
                                                                "true",
                                                                "try",
                                                                "typedef",
                                                                "typeid",
                                                                "typename",
                                                                "union",
                                                                "unsigned",
                                                                "using",
                                                                "virtual",
                                                                "void",
                                                                "volatile",
                                                                "wchar_t",
                                                                "while",
                                                                "xor",
                                                                "xor_eq",
                                                                "strata",
                                                                "std"};
  if (name.empty() || name.starts_with("__") || (name[0] >= '0' && name[0] <= '9'))
    return false;
  if (std::find(reserved.begin(), reserved.end(), name) != reserved.end())
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace strata::generator
