// Parsing and writing the fuzzer's folder archives.
#include "fuzz/archive.hpp"

#include <array>
#include <fstream>
#include <sys/stat.h>
#include <system_error>

namespace strata::fuzz {
namespace {

constexpr std::string_view header_open = "==> ";
constexpr std::string_view header_close = " <==";

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// `\n`, `\t`, `\\` and `\xHH` as the byte they stand for; any other backslash is kept.
std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[i + 1];
    if (next == 'n' || next == 't' || next == '\\') {
      out += next == 'n' ? '\n' : next == 't' ? '\t' : '\\';
      ++i;
    } else if (next == 'x' && i + 3 < text.size() && hex_digit(text[i + 2]) >= 0 &&
               hex_digit(text[i + 3]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 2]) * 16 + hex_digit(text[i + 3]));
      i += 3;
    } else {
      out += '\\';
    }
  }
  return out;
}

// A relative path of at most max_depth components, none of them empty, `.`, `..` or holding a
// NUL byte; empty when nothing is left.
std::string sanitise_path(std::string_view written) {
  const std::string path = unescape(written);
  std::string out;
  std::size_t depth = 0;
  std::size_t start = 0;
  while (start <= path.size() && depth < max_depth) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos)
      end = path.size();
    std::string component = path.substr(start, end - start);
    std::erase(component, '\0');
    if (!component.empty() && component != "." && component != "..") {
      if (!out.empty())
        out += '/';
      out += component;
      ++depth;
    }
    start = end + 1;
  }
  return out;
}

// A link target that stays inside the work folder or names a device the catalog must refuse.
std::string sanitise_target(std::string_view written) {
  static constexpr std::array<std::string_view, 3> devices{"/dev/null", "/dev/zero",
                                                           "/dev/urandom"};
  const std::string target = unescape(written);
  for (std::string_view device : devices) {
    if (target == device)
      return target;
  }
  if (target.starts_with('/'))
    return "does-not-exist";
  const std::string relative = sanitise_path(target);
  return relative.empty() ? "." : relative;
}

void parse_options(std::string_view line, Archive& archive) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    std::size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t')
      ++end;
    if (end > i)
      words.emplace_back(line.substr(i, end - i));
    i = end;
  }
  for (std::size_t k = 0; k < words.size(); ++k) {
    const bool has_value = k + 1 < words.size();
    if (words[k] == "--warnings-as-errors") {
      archive.warnings_as_errors = true;
    } else if (words[k] == "-d" && has_value) {
      if (std::string dir = sanitise_path(words[++k]); !dir.empty())
        archive.migrations_dir = std::move(dir);
    } else if (words[k] == "--routines" && has_value) {
      if (std::string dir = sanitise_path(words[++k]); !dir.empty())
        archive.routines_dir = std::move(dir);
    } else if (words[k] == "--ignore" && has_value) {
      archive.ignore_globs.push_back(unescape(words[++k]));
    }
  }
}

// Whether the line starting at `at` is a header; sets `body` to the text between the brackets.
bool header_at(std::string_view bytes, std::size_t at, std::string_view& body) noexcept {
  if (bytes.substr(at, header_open.size()) != header_open)
    return false;
  std::size_t end = bytes.find('\n', at);
  if (end == std::string_view::npos)
    end = bytes.size();
  const std::string_view line = bytes.substr(at, end - at);
  if (line.size() < header_open.size() + header_close.size() || !line.ends_with(header_close))
    return false;
  body = line.substr(header_open.size(), line.size() - header_open.size() - header_close.size());
  return true;
}

Entry entry_from_header(std::string_view body) {
  Entry entry;
  if (body.ends_with(" |")) {
    entry.kind = EntryKind::fifo;
    entry.path = sanitise_path(body.substr(0, body.size() - 2));
  } else if (const std::size_t arrow = body.find(" -> "); arrow != std::string_view::npos) {
    entry.kind = EntryKind::symlink;
    entry.path = sanitise_path(body.substr(0, arrow));
    entry.content = sanitise_target(body.substr(arrow + 4));
  } else if (body.ends_with('/')) {
    entry.kind = EntryKind::folder;
    entry.path = sanitise_path(body);
  } else {
    entry.path = sanitise_path(body);
  }
  return entry;
}

}  // namespace

Archive parse_archive(std::string_view bytes) {
  Archive archive;
  std::size_t pos = 0;
  if (bytes.starts_with("#!")) {
    const std::size_t end = bytes.find('\n');
    parse_options(bytes.substr(2, end == std::string_view::npos ? end : end - 2), archive);
    pos = end == std::string_view::npos ? bytes.size() : end + 1;
  }
  // Headers start a line; the newline before a header belongs to it.
  std::optional<Entry> open;
  std::size_t content_start = 0;
  const auto close = [&](std::size_t content_end) {
    if (!open || open->path.empty() || archive.entries.size() >= max_entries)
      return;
    if (open->kind == EntryKind::file)
      open->content = std::string{bytes.substr(content_start, content_end - content_start)};
    archive.entries.push_back(std::move(*open));
  };
  for (std::size_t line = pos; line <= bytes.size();) {
    std::string_view body;
    if (header_at(bytes, line, body)) {
      close(line > content_start ? line - 1 : line);
      open = entry_from_header(body);
      const std::size_t end = bytes.find('\n', line);
      content_start = end == std::string_view::npos ? bytes.size() : end + 1;
      line = content_start;
      if (end == std::string_view::npos)
        break;
      continue;
    }
    const std::size_t end = bytes.find('\n', line);
    if (end == std::string_view::npos)
      break;
    line = end + 1;
  }
  close(bytes.size());
  return archive;
}

void materialise(const Archive& archive, const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  for (const Entry& entry : archive.entries) {
    const fs::path path = root / entry.path;
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error)
      continue;
    switch (entry.kind) {
      case EntryKind::file: {
        std::ofstream out{path, std::ios::binary | std::ios::trunc};
        out.write(entry.content.data(), static_cast<std::streamsize>(entry.content.size()));
        break;
      }
      case EntryKind::folder:
        fs::create_directories(path, error);
        break;
      case EntryKind::symlink:
        fs::create_symlink(entry.content, path, error);
        break;
      case EntryKind::fifo:
        (void)mkfifo(path.c_str(), 0644);
        break;
    }
  }
}

}  // namespace strata::fuzz
