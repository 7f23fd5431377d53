// Fills the templates with the table.
#include "emit/emitter.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "emit/cpp_literal.hpp"
#include "emit/templates.hpp"

namespace strata::generator {
namespace {

constexpr std::string_view strata_version = "0.1.0";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Writes the table. Every string the table points at is a named char array, and every section's
// statements are a slice, made by a constexpr function of two integers, of one array declared
// ahead and defined after the table: GCC 12's constant evaluation of std::string_view and
// std::span built in the table from string literals or from pointer constants grows
// quadratically with the table (10,000 migrations: minutes); this way it stays linear. Entries
// are positional, one migration on three lines, with lengths as `UL` literals (not `sizeof x - 1`).
class TableWriter {
 public:
  void add(const strata::Migration& migration, std::size_t index) {
    const std::string id = "m" + std::to_string(index);
    m_table += "    {strata::MigrationKind::";
    m_table += migration.kind == strata::MigrationKind::routine ? "routine" : "migration";
    m_table += ", " + text(id + "_version", migration.version);
    m_table += ", " + text(id + "_name", migration.name);
    m_table += ", " + text(id + "_checksum", migration.checksum);
    m_table += ",\n     " + section(migration.up, id + "_up");
    m_table += ",\n     " + section(migration.down, id + "_down");
    m_table += "},\n";
  }

  [[nodiscard]] std::string bodies() const {
    std::string text = m_bodies;
    if (m_statement_count > 0) {
      text +=
          "extern const strata::Statement statements[" + std::to_string(m_statement_count) +
          "];\n\n"
          "// A section's statements by position, from integers: GCC evaluates spans built from\n"
          "// pointer constants in the table quadratically in their number.\n"
          "constexpr std::span<const strata::Statement> statements_at(std::size_t first,\n"
          "                                                           std::size_t count) {\n"
          "  return {statements + first, count};\n"
          "}\n\n";
    }
    return text;
  }

  [[nodiscard]] std::string table(std::size_t count) const {
    if (count == 0) {
      return "constexpr strata::MigrationSet set{};\n";
    }
    std::string text =
        "// {kind, version, name, checksum,\n"
        "//  up {sql, statements, path, first_line, in_transaction}, down {...}}\n"
        "constexpr strata::Migration table[] = {\n" +
        m_table + "};\n\nconstexpr strata::MigrationSet set{table};\n";
    if (m_statement_count > 0) {
      text +=
          "\n// Every section's statements: {offset, length, line}.\n"
          "const strata::Statement statements[" +
          std::to_string(m_statement_count) + "] = {" + m_statements + "\n};\n";
    }
    return text;
  }

 private:
  // A named char array holding `value`, as a string_view initialiser with explicit length.
  std::string text(const std::string& name, std::string_view value) {
    m_bodies += "constexpr char " + name + "[] = " + cpp_string_literal(value, "    ") + ";\n";
    return view(name, value.size());
  }

  // A string_view initialiser over a named array, its length computed here. The `UL` matters:
  // GCC 12 evaluates the table quadratically when the length is an `int` converted to size_t.
  static std::string view(const std::string& name, std::size_t length) {
    return '{' + name + ", " + std::to_string(length) + "UL}";
  }

  // Paths repeat (a dbmate file's up and down): one array per distinct path.
  std::string path(std::string_view value) {
    auto [it, inserted] = m_paths.try_emplace(std::string{value}, "");
    if (inserted) {
      it->second = "path" + std::to_string(m_paths.size() - 1);
      text(it->second, value);
    }
    return view(it->second, value.size());
  }

  std::string section(const strata::Section& section, const std::string& id) {
    if (!section.present()) {
      return "{}";
    }
    const std::string path_view = path(section.path);
    m_bodies +=
        "constexpr char " + id + "[] =\n    " + cpp_string_literal(section.sql, "    ") + ";\n\n";
    std::string statements = "{}";
    if (!section.statements.empty()) {
      statements = "statements_at(" + std::to_string(m_statement_count) + "UL, " +
                   std::to_string(section.statements.size()) + "UL)";
      m_statements += "\n    // " + id;
      for (std::size_t i = 0; i < section.statements.size(); ++i) {
        const strata::Statement& s = section.statements[i];
        m_statements += i % 4 == 0 ? "\n    " : " ";
        m_statements += '{' + std::to_string(s.offset) + ", " + std::to_string(s.length) + ", " +
                        std::to_string(s.line) + "},";
      }
      m_statement_count += section.statements.size();
    }
    return '{' + view(id, section.sql.size()) + ", " + statements + ", " + path_view + ", " +
           std::to_string(section.first_line) + ", " + (section.in_transaction ? "true" : "false") +
           '}';
  }

  std::string m_bodies;
  std::string m_statements;
  std::size_t m_statement_count = 0;
  std::map<std::string, std::string> m_paths;
  std::string m_table;
};

// The source folder as it may appear in a `//` comment (no newline can end the comment early).
std::string comment_safe(std::string_view text) {
  std::string result{text};
  std::replace(result.begin(), result.end(), '\n', ' ');
  return result;
}

}  // namespace

EmittedFiles emit(const strata::MigrationSet& set, const EmitOptions& options) {
  TableWriter writer;
  std::size_t migrations = 0;
  std::size_t routines = 0;
  for (std::size_t i = 0; i < set.size(); ++i) {
    writer.add(set.migrations[i], i);
    ++(set.migrations[i].kind == strata::MigrationKind::routine ? routines : migrations);
  }
  const std::string source = comment_safe(options.source);
  const std::string count =
      std::to_string(migrations) + " migrations, " + std::to_string(routines) + " routines";
  auto fill = [&](std::string_view text) {
    std::string result{text};
    result = replace_all(std::move(result), "@NAMESPACE@", options.name_space);
    result = replace_all(std::move(result), "@STRATA_VERSION@", strata_version);
    result = replace_all(std::move(result), "@COUNT@", count);
    result = replace_all(std::move(result), "@SOURCE@", source);
    return result;
  };
  EmittedFiles files;
  files.header = fill(templates::header);
  // Bodies and table go in last: SQL text must never be searched for placeholders.
  std::string skeleton = fill(templates::source);
  const std::string bodies = writer.bodies();
  const std::size_t bodies_at = skeleton.find("@BODIES@");
  if (bodies_at != std::string::npos)
    skeleton.replace(bodies_at, 8, bodies);
  const std::size_t table_at = skeleton.find("@TABLE@", bodies_at + bodies.size());
  if (table_at != std::string::npos)
    skeleton.replace(table_at, 7, writer.table(set.size()));
  files.source = std::move(skeleton);
  return files;
}

bool is_valid_namespace(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 20> reserved = {
      "std",  "strata", "namespace", "class",  "struct", "int",     "return",
      "if",   "else",   "for",       "while",  "const",  "static",  "void",
      "char", "auto",   "new",       "delete", "this",   "template"};
  if (name.empty() || name.starts_with("__") || (name[0] >= '0' && name[0] <= '9'))
    return false;
  if (std::find(reserved.begin(), reserved.end(), name) != reserved.end())
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool write_if_changed(const std::filesystem::path& path, std::string_view content,
                      std::string& error) {
  {
    std::ifstream in{path, std::ios::binary};
    if (in) {
      std::ostringstream existing;
      existing << in.rdbuf();
      if (existing.view() == content)
        return true;
    }
  }
  std::error_code ec;
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out{temporary, std::ios::binary | std::ios::trunc};
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      error = "cannot write " + temporary.string();
      return false;
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    error = "cannot write " + path.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace strata::generator
