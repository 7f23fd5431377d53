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

#include <strata/error.hpp>

namespace strata::generator {

class Diagnostics;
class Sha256;
struct FileProblem;

struct SourcePoint {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, counted in characters (UTF-8 code points)
};

// A file the catalog cache vouched for changed before strata read it: what(), naming the file, says
// to run the command again. Nothing was changed in the database.
class SourceChanged : public strata::Error {
 public:
  explicit SourceChanged(const std::filesystem::path& file);
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

  // A file known from the catalog cache (catalog_cache.hpp), not read yet: its text is read by
  // read_text() when a command needs it. `digest` is what digest() gave for its text.
  [[nodiscard]] static SourceFile unread(std::filesystem::path path, std::string digest);
  // Whether the text is here: always, except for a file unread() made until read_text().
  [[nodiscard]] bool is_read() const noexcept { return m_read; }
  // Reads an unread file's text (nothing for a file read already). Throws SourceChanged when the
  // file's text is no longer the one its digest names, or it can no longer be read.
  void read_text(Sha256& sha256) const;
  // "sha256:<hex>" of the normalised text (checksum.hpp), what a cache records to vouch for it.
  [[nodiscard]] std::string digest(Sha256& sha256) const;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
  // The normalised text. Throws std::logic_error for a file not read yet (see is_read()): an
  // unread text is never taken for an empty one.
  [[nodiscard]] std::string_view text() const {
    if (!is_read())
      throw_unread();
    return m_text;
  }

  // Line and column of a byte offset into text(); an offset past the end maps to the end. For a
  // file not read yet, every offset is at 1:1.
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
  [[noreturn]] void throw_unread() const;
  void index_lines() const;

  std::filesystem::path m_path;
  // Filled by read_text() for a file unread() made: logically the file's text all along.
  mutable std::string m_text;
  mutable std::vector<std::size_t> m_line_starts;
  mutable bool m_read = true;
  mutable std::string m_digest;  // what digest() must give for the text an unread file reads
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
