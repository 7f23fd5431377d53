// Fills the templates with the table.
#include "emit/emitter.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
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

class TableWriter {
 public:
  void add(const strata::Migration& migration, std::size_t index) {
    const std::string id = "m" + std::to_string(index);
    m_table += "    {.kind = strata::MigrationKind::";
    m_table += migration.kind == strata::MigrationKind::routine ? "routine" : "migration";
    m_table += ",\n     .version = " + cpp_string_view(migration.version);
    m_table += ",\n     .name = " + cpp_string_view(migration.name);
    m_table += ",\n     .checksum = " + cpp_string_view(migration.checksum);
    m_table += ",\n     .up = " + section(migration.up, id + "_up");
    m_table += ",\n     .down = " + section(migration.down, id + "_down");
    m_table += "},\n";
  }

  [[nodiscard]] const std::string& bodies() const noexcept { return m_bodies; }
  [[nodiscard]] std::string table(std::size_t count) const {
    if (count == 0)
      return "constexpr strata::MigrationSet set{};\n";
    return "constexpr strata::Migration table[] = {\n" + m_table +
           "};\n\nconstexpr strata::MigrationSet set{table};\n";
  }

 private:
  std::string section(const strata::Section& section, const std::string& id) {
    if (!section.present())
      return "{}";
    m_bodies +=
        "constexpr char " + id + "[] =\n    " + cpp_string_literal(section.sql, "    ") + ";\n";
    std::string statements = "{}";
    if (!section.statements.empty()) {
      m_bodies += "constexpr strata::Statement " + id + "_statements[] = {";
      for (std::size_t i = 0; i < section.statements.size(); ++i) {
        const strata::Statement& s = section.statements[i];
        m_bodies += i % 4 == 0 ? "\n    " : " ";
        m_bodies += '{' + std::to_string(s.offset) + ", " + std::to_string(s.length) + ", " +
                    std::to_string(s.line) + "},";
      }
      m_bodies += "\n};\n";
      statements = id + "_statements";
    }
    m_bodies += '\n';
    return "{.sql = {" + id + ", sizeof " + id + " - 1},\n            .statements = " + statements +
           ",\n            .path = " + cpp_string_view(section.path) +
           ",\n            .first_line = " + std::to_string(section.first_line) +
           ",\n            .in_transaction = " + (section.in_transaction ? "true" : "false") + '}';
  }

  std::string m_bodies;
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
  const std::size_t bodies_at = skeleton.find("@BODIES@");
  if (bodies_at != std::string::npos)
    skeleton.replace(bodies_at, 8, writer.bodies());
  const std::size_t table_at = skeleton.find("@TABLE@", bodies_at + writer.bodies().size());
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
