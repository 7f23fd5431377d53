// One migration source file, read once and normalised before anything else looks at it: a UTF-8
// BOM removed, CRLF turned into LF. So a checkout on Windows yields the same text, statements,
// positions and checksums as one on Linux. Positions map byte offsets to 1-based line and
// character column, the units editors and compilers use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::generator {

class Diagnostics;
struct FileProblem;

struct SourcePoint {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, counted in characters (UTF-8 code points)
};

class SourceFile {
 public:
  // Builds a source file from raw bytes: normalises, then validates UTF-8 (reporting the first
  // invalid byte or NUL as strata-E108). Returns nullopt when the text is not valid.
  [[nodiscard]] static std::optional<SourceFile> from_bytes(std::filesystem::path path,
                                                            std::string bytes,
                                                            Diagnostics& diagnostics);
  // Reads `path` (already absolute) and calls from_bytes. Anything but a regular file (or a link
  // to one) is strata-E112 naming its type, and is never read; an unreadable file is
  // strata-E110 with the operating system's reason.
  [[nodiscard]] static std::optional<SourceFile> read(const std::filesystem::path& path,
                                                      Diagnostics& diagnostics);
  // The same from what read_regular_file() gave for `path` (read earlier, maybe on another
  // thread): `problem` reported as read() reports it, else from_bytes(path, bytes).
  [[nodiscard]] static std::optional<SourceFile> read(const std::filesystem::path& path,
                                                      const FileProblem& problem, std::string bytes,
                                                      Diagnostics& diagnostics);

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
  [[nodiscard]] std::string_view text() const noexcept { return m_text; }

  // Line and column of a byte offset into text(); an offset past the end maps to the end.
  [[nodiscard]] SourcePoint point(std::size_t offset) const noexcept;
  // 1-based line number of a byte offset.
  [[nodiscard]] std::uint32_t line_of(std::size_t offset) const noexcept;
  // Text of a 1-based line, without its newline; empty past the end.
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const noexcept;
  // Byte offset at which a 1-based line starts.
  [[nodiscard]] std::size_t line_start(std::uint32_t line) const noexcept;
  [[nodiscard]] std::uint32_t line_count() const noexcept {
    return static_cast<std::uint32_t>(m_line_starts.size());
  }

 private:
  SourceFile(std::filesystem::path path, std::string text);

  std::filesystem::path m_path;
  std::string m_text;
  std::vector<std::size_t> m_line_starts;
};

// Removes a leading UTF-8 BOM and turns every CRLF into LF (a lone CR is kept).
[[nodiscard]] std::string normalise_text(std::string bytes);

// Byte offset, within `text`, of the `characters`-th character (0-based), counting UTF-8 code
// points. libpg_query's error cursor counts characters; its statement offsets count bytes.
[[nodiscard]] std::size_t byte_offset_of_character(std::string_view text,
                                                   std::size_t characters) noexcept;

// Number of characters (UTF-8 code points) in `text`.
[[nodiscard]] std::size_t count_characters(std::string_view text) noexcept;

}  // namespace strata::generator
