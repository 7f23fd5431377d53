// The catalog cache (see catalog_cache.hpp): a binary file of length-prefixed fields, written to a
// temporary name and renamed into place, so a reader sees a whole cache or none.
#include "catalog/catalog_cache.hpp"

#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <new>
#include <random>
#include <string_view>
#include <system_error>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include <strata/version.hpp>

#include "catalog/checksum.hpp"
#include "catalog/file_identity.hpp"
#include "catalog/file_kind.hpp"
#include "catalog/source_options.hpp"
#include "stable_hash.hpp"

namespace strata::generator {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view magic = "strata catalog cache 2\n";

class Writer {
 public:
  void number(std::uint64_t value) {
    for (int byte = 0; byte < 8; ++byte)
      m_out.push_back(static_cast<char>((value >> (8 * byte)) & 0xFFU));
  }
  void text(std::string_view value) {
    number(value.size());
    m_out.append(value);
  }
  void identity(const FileIdentity& id) {
    for (const std::uint64_t value :
         {id.type, id.device_major, id.device_minor, id.inode, id.size,
          static_cast<std::uint64_t>(id.modified_seconds), id.modified_nanoseconds,
          static_cast<std::uint64_t>(id.changed_seconds), id.changed_nanoseconds})
      number(value);
  }
  [[nodiscard]] const std::string& bytes() const noexcept { return m_out; }

 private:
  std::string m_out;
};

struct Damaged {};  // the cache file ends early or holds what no writer wrote

class Reader {
 public:
  explicit Reader(std::string_view in) : m_in(in) {}
  std::uint64_t number() {
    if (m_in.size() < 8)
      throw Damaged{};
    std::uint64_t value = 0;
    for (int byte = 0; byte < 8; ++byte)
      value |= std::uint64_t{static_cast<unsigned char>(m_in[byte])} << (8 * byte);
    m_in.remove_prefix(8);
    return value;
  }
  std::string_view text() {
    const std::uint64_t size = number();
    if (size > m_in.size())
      throw Damaged{};
    const std::string_view value = m_in.substr(0, size);
    m_in.remove_prefix(size);
    return value;
  }
  FileIdentity identity() {
    FileIdentity id;
    id.type = number();
    id.device_major = number();
    id.device_minor = number();
    id.inode = number();
    id.size = number();
    id.modified_seconds = static_cast<std::int64_t>(number());
    id.modified_nanoseconds = number();
    id.changed_seconds = static_cast<std::int64_t>(number());
    id.changed_nanoseconds = number();
    return id;
  }
  // A count of things each at least `unit` bytes long: never more than what is left.
  std::size_t count(std::size_t unit) {
    const std::uint64_t value = number();
    if (value > m_in.size() / unit)
      throw Damaged{};
    return static_cast<std::size_t>(value);
  }
  [[nodiscard]] bool done() const noexcept { return m_in.empty(); }

 private:
  std::string_view m_in;
};

// The program reading the catalog: its version, and its executable's identity, so that a rebuilt
// strata of the same version (whose catalog rules may differ) does not take another's cache.
std::string program_key() {
  std::string key = "strata " + std::string{strata::version_string};
  const std::optional<FileIdentity> executable = identity_of(AT_FDCWD, "/proc/self/exe");
  if (executable && executable->type != 0) {
    for (const std::uint64_t value :
         {executable->device_major, executable->device_minor, executable->inode, executable->size,
          static_cast<std::uint64_t>(executable->modified_seconds),
          executable->modified_nanoseconds})
      key += " " + std::to_string(value);
  }
  return key;
}

std::string cache_key(const SourceOptions& options, const fs::path& lock_file) {
  std::string key = program_key() + "\nmigrations " +
                    absolute_path(options.migrations_dir).string() + "\nroutines " +
                    (options.routines_dir ? absolute_path(*options.routines_dir).string() : "-") +
                    "\nlock file " + lock_file.string() + "\n";
  for (const std::string& glob : options.ignore_globs)
    key += "ignore " + glob + "\n";
  return key;
}

void write_section(Writer& out, const SectionSource& section,
                   const std::unordered_map<const SourceFile*, std::size_t>& file_index) {
  out.number(section.present() ? file_index.at(section.file) + 1 : 0);
  out.number(section.offset);
  out.number(section.length);
  out.number(section.in_transaction ? 1 : 0);
  out.number(section.marker_offset);
  out.number(section.first_line());
}

SectionSource read_section(Reader& in, const Catalog& catalog) {
  SectionSource section;
  const std::uint64_t file = in.number();
  if (file > catalog.files.size())
    throw Damaged{};
  section.file = file == 0 ? nullptr : catalog.files[file - 1].get();
  section.offset = in.number();
  section.length = in.number();
  section.in_transaction = in.number() != 0;
  section.marker_offset = in.number();
  section.unread_line = static_cast<std::uint32_t>(in.number());
  return section;
}

}  // namespace

CatalogCache::CatalogCache(const fs::path& folder, const SourceOptions& options, fs::path lock_file)
    : m_key(cache_key(options, lock_file)), m_lock_file(std::move(lock_file)) {
  // The file holds the whole key, so a collision of names is a miss, never a wrong catalog; and
  // unlike SHA-256 the name costs no OpenSSL start-up.
  m_file = folder / ("catalog-" + strata::detail::StableHash{}.add(m_key).hex());
}

std::optional<fs::path> CatalogCache::default_folder() {
  if (const char* chosen = std::getenv("STRATA_CATALOG_CACHE"); chosen != nullptr) {
    if (std::string_view{chosen} == "off" || *chosen == '\0')
      return std::nullopt;
    return fs::path{chosen};
  }
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache == '/')
    return fs::path{cache} / "strata" / "catalog";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    return fs::path{home} / ".cache" / "strata" / "catalog";
  return std::nullopt;
}

std::optional<Catalog> CatalogCache::load() const {
  std::string bytes;
  if (!read_regular_file(m_file, bytes).ok() || !std::string_view{bytes}.starts_with(magic))
    return std::nullopt;
  try {
    Reader in{std::string_view{bytes}.substr(magic.size())};
    if (in.text() != m_key)
      return std::nullopt;
    std::vector<std::string> folders(in.count(8));
    for (std::string& folder : folders)
      folder = in.text();
    // Each input as (folder, name): a file, a folder the walk looked into, or the lock file.
    std::vector<std::pair<std::size_t, std::string>> inputs(in.count(8 * 11));
    FolderLookups lookups;
    for (auto& [folder, name] : inputs) {
      folder = static_cast<std::size_t>(in.number());
      name = in.text();
      if (folder >= folders.size())
        return std::nullopt;
      const std::optional<FileIdentity> now = lookups.identity(folders[folder], name);
      if (!now || *now != in.identity())
        return std::nullopt;
    }
    const auto path_of = [&](std::size_t input) {
      const std::string& name = inputs[input].second;
      return name == "." ? fs::path{folders[inputs[input].first]}
                         : fs::path{folders[inputs[input].first]} / name;
    };
    Catalog catalog;  // its inputs stay unlisted (see load())
    catalog.files.resize(in.count(8 * 2));
    for (auto& file : catalog.files) {
      const std::uint64_t input = in.number();
      if (input >= inputs.size())
        return std::nullopt;
      file = std::make_unique<SourceFile>(
          SourceFile::unread(path_of(static_cast<std::size_t>(input)), std::string{in.text()}));
    }
    catalog.migrations.resize(in.count(8 * 17));
    for (MigrationSource& migration : catalog.migrations) {
      const std::uint64_t kind = in.number();
      const std::uint64_t form = in.number();
      if (kind > static_cast<std::uint64_t>(MigrationKind::routine) ||
          form > static_cast<std::uint64_t>(Form::routine))
        return std::nullopt;
      migration.kind = static_cast<MigrationKind>(kind);
      migration.form = static_cast<Form>(form);
      migration.version = in.text();
      migration.name = in.text();
      migration.checksum = in.text();
      migration.up = read_section(in, catalog);
      migration.down = read_section(in, catalog);
      if (!migration.up.present())
        return std::nullopt;
    }
    if (!in.done())
      return std::nullopt;
    return catalog;
  } catch (const Damaged&) {
    return std::nullopt;
  }
}

bool CatalogCache::store(const Catalog& catalog, std::chrono::system_clock::time_point now) const {
  try {
    std::vector<fs::path> inputs = catalog.inputs;
    inputs.push_back(m_lock_file);
    const std::int64_t racy_from =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch() - racy_window)
            .count();
    Writer out;
    out.text(m_key);
    std::vector<std::pair<std::string, std::string>> places;  // each input's (folder, name)
    std::vector<std::string> folders;
    std::unordered_map<std::string, std::size_t> folder_index;
    for (const fs::path& input : inputs) {
      places.push_back(folder_and_name(input));
      if (folder_index.emplace(places.back().first, folders.size()).second)
        folders.push_back(places.back().first);
    }
    out.number(folders.size());
    for (const std::string& folder : folders)
      out.text(folder);
    out.number(inputs.size());
    std::unordered_map<std::string, std::size_t> input_index;
    FolderLookups lookups;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto& [folder, name] = places[i];
      const std::optional<FileIdentity> identity = lookups.identity(folder, name);
      if (!identity || (identity->type != 0 && identity->last_change() >= racy_from))
        return false;
      out.number(folder_index.at(folder));
      out.text(name);
      out.identity(*identity);
      input_index.emplace(inputs[i].native(), i);
    }
    out.number(catalog.files.size());
    Sha256 sha256;
    std::unordered_map<const SourceFile*, std::size_t> file_index;
    for (std::size_t i = 0; i < catalog.files.size(); ++i) {
      const SourceFile& file = *catalog.files[i];
      const auto input = input_index.find(file.path().native());
      if (input == input_index.end() || !file.is_read())
        return false;
      out.number(input->second);
      out.text(file.digest(sha256));
      file_index.emplace(&file, i);
    }
    out.number(catalog.migrations.size());
    for (const MigrationSource& migration : catalog.migrations) {
      out.number(static_cast<std::uint64_t>(migration.kind));
      out.number(static_cast<std::uint64_t>(migration.form));
      out.text(migration.version);
      out.text(migration.name);
      out.text(migration.checksum);
      write_section(out, migration.up, file_index);
      write_section(out, migration.down, file_index);
    }

    std::error_code error;
    fs::create_directories(m_file.parent_path(), error);
    if (error)
      return false;
    // A name of its own per writer: two runs storing at once each rename a whole file.
    const fs::path temporary = m_file.string() + ".tmp" + std::to_string(std::random_device{}()) +
                               "-" + std::to_string(::getpid());
    {
      std::ofstream file{temporary, std::ios::binary | std::ios::trunc};
      file << magic << out.bytes();
      file.close();
      if (!file) {
        fs::remove(temporary, error);
        return false;
      }
    }
    fs::rename(temporary, m_file, error);
    if (error) {
      fs::remove(temporary, error);
      return false;
    }
    return true;
  } catch (...) {
    // Best effort by design: a cache that cannot be written costs the next run a full read.
    return false;
  }
}

}  // namespace strata::generator
