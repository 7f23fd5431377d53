// Reading, normalising and validating one source file; offset ↔ line:column mapping.
#include "catalog/source_file.hpp"

#include <algorithm>
#include <stdexcept>

#include "catalog/checksum.hpp"
#include "catalog/diagnostics.hpp"
#include "catalog/file_kind.hpp"
#include "catalog/text.hpp"
#include "utf8.hpp"

namespace strata::generator {

std::string normalise_text(std::string bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF"))
    bytes.erase(0, 3);
  if (bytes.find("\r\n") == std::string::npos)
    return bytes;
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n')
      continue;
    out.push_back(bytes[i]);
  }
  return out;
}

std::size_t byte_offset_of_character(std::string_view text, std::size_t characters) noexcept {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_utf8_continuation(text[i]))
      continue;
    if (seen == characters)
      return i;
    ++seen;
  }
  return text.size();
}

std::size_t count_characters(std::string_view text) noexcept {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_utf8_continuation(c); }));
}

SourceChanged::SourceChanged(const std::filesystem::path& file)
    : strata::Error(file.string() +
                    " changed while strata was reading the migrations (after the catalog cache "
                    "vouched for it): nothing was changed in the database; run the command again") {
}

SourceFile::SourceFile(std::filesystem::path path, std::string text)
    : m_path(std::move(path)), m_text(std::move(text)) {
  index_lines();
}

void SourceFile::index_lines() const {
  m_line_starts.assign(1, 0);
  for (std::size_t i = 0; i < m_text.size(); ++i) {
    if (m_text[i] == '\n')
      m_line_starts.push_back(i + 1);
  }
}

SourceFile SourceFile::unread(std::filesystem::path path, std::string digest) {
  SourceFile file{std::move(path), std::string{}};
  file.m_read = false;
  file.m_digest = std::move(digest);
  return file;
}

void SourceFile::throw_unread() const {
  throw std::logic_error("the text of " + m_path.string() + " was used before it was read");
}

std::string SourceFile::digest(Sha256& sha256) const {
  return sha256.checksum(text());
}

void SourceFile::read_text(Sha256& sha256) const {
  if (is_read())
    return;
  std::string bytes;
  if (!read_regular_file(m_path, bytes).ok())
    throw SourceChanged{m_path};
  std::string text = normalise_text(std::move(bytes));
  if (sha256.checksum(text) != m_digest)
    throw SourceChanged{m_path};
  m_text = std::move(text);
  m_read = true;
  m_digest.clear();
  index_lines();
}

std::optional<SourceFile> SourceFile::from_bytes(std::filesystem::path path, std::string bytes,
                                                 Diagnostics& diagnostics) {
  SourceFile file{std::move(path), normalise_text(std::move(bytes))};
  const std::string_view text = file.text();
  for (std::size_t i = 0; i < text.size();) {
    const bool nul = text[i] == '\0';
    const std::size_t length = nul ? 0 : strata::detail::utf8_sequence_length(text, i);
    if (length == 0) {
      diagnostics.add(file, i, "strata-E108",
                      nul ? "NUL byte in SQL text" : "invalid UTF-8 byte sequence",
                      "migrations must be UTF-8 text; re-save the file as UTF-8");
      return std::nullopt;
    }
    i += length;
  }
  return file;
}

std::optional<SourceFile> SourceFile::read(const std::filesystem::path& path,
                                           Diagnostics& diagnostics) {
  std::string bytes;
  const FileProblem problem = read_regular_file(path, bytes);
  return read(path, problem, std::move(bytes), diagnostics);
}

std::optional<SourceFile> SourceFile::read(const std::filesystem::path& path,
                                           const FileProblem& problem, std::string bytes,
                                           Diagnostics& diagnostics) {
  if (!problem.ok()) {
    diagnostics.add(path, *problem.id, problem.message, problem.hint);
    return std::nullopt;
  }
  return from_bytes(path, std::move(bytes), diagnostics);
}

std::uint32_t SourceFile::line_of(std::size_t offset) const noexcept {
  const auto next = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
  return static_cast<std::uint32_t>(next - m_line_starts.begin());
}

SourcePoint SourceFile::point(std::size_t offset) const noexcept {
  offset = std::min(offset, m_text.size());
  const std::uint32_t line = line_of(offset);
  const std::size_t start = m_line_starts[line - 1];
  const auto column = count_characters(std::string_view{m_text}.substr(start, offset - start));
  return SourcePoint{line, static_cast<std::uint32_t>(column + 1)};
}

std::size_t SourceFile::line_start(std::uint32_t line) const noexcept {
  if (line == 0)
    return 0;
  if (line > m_line_starts.size())
    return m_text.size();
  return m_line_starts[line - 1];
}

std::string_view SourceFile::line_text(std::uint32_t line) const noexcept {
  if (line == 0 || line > m_line_starts.size())
    return {};
  const std::size_t start = m_line_starts[line - 1];
  const std::size_t end = line < m_line_starts.size() ? m_line_starts[line] - 1 : m_text.size();
  return std::string_view{m_text}.substr(start, end - start);
}

}  // namespace strata::generator
