// Packs real-world migration folders (../shared/corpus) into fuzz seeds: archives (archive.hpp) of
// at most 12 migrations and about 32 KiB each, so every mutation starts from real SQL in its real
// layout (dbmate files, .up/.down pairs, Diesel folders, Flyway names).
//   fuzz_pack_corpus CORPUS_DIR OUT_DIR
// Each folder of CORPUS_DIR is one set. A migration folder (a parent whose name starts with a
// digit: Diesel's layout) stays a folder; other .sql files become files of the migrations folder
// `m`. A file bigger than a seed is cut at the seed's size.
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::size_t seed_bytes = 32768;
constexpr std::size_t seed_entries = 12;

std::string read_prefix(const fs::path& path, std::size_t limit) {
  std::ifstream in{path, std::ios::binary};
  std::string bytes(limit, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(limit));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

class SeedWriter {
 public:
  SeedWriter(fs::path out, std::string set) : m_out(std::move(out)), m_set(std::move(set)) {}

  void add(const std::string& entry, const std::string& content) {
    if (m_entries >= seed_entries || m_text.size() + content.size() > seed_bytes)
      flush();
    m_text += "==> " + entry + " <==\n" + content + "\n";
    ++m_entries;
  }

  void flush() {
    if (m_entries == 0)
      return;
    std::ofstream{m_out / (m_set + "-" + std::to_string(m_index++) + ".txt"), std::ios::binary}
        << m_text;
    m_text.clear();
    m_entries = 0;
  }

  [[nodiscard]] std::size_t written() const noexcept { return m_index; }

 private:
  fs::path m_out;
  std::string m_set;
  std::string m_text;
  std::size_t m_entries = 0;
  std::size_t m_index = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fuzz_pack_corpus CORPUS_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path corpus = argv[1];
  const fs::path out = argv[2];
  fs::create_directories(out);
  std::vector<fs::path> sets;
  for (const auto& entry : fs::directory_iterator{corpus}) {
    if (entry.is_directory())
      sets.push_back(entry.path());
  }
  std::sort(sets.begin(), sets.end());
  std::size_t seeds = 0;
  for (const fs::path& set : sets) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator{set}) {
      if (entry.is_regular_file() && entry.path().extension() == ".sql")
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    SeedWriter writer{out, set.filename().string()};
    for (const fs::path& file : files) {
      const std::string parent = file.parent_path().filename().string();
      const bool migration_folder =
          !parent.empty() && parent.front() >= '0' && parent.front() <= '9';
      const std::string entry = migration_folder ? "m/" + parent + "/" + file.filename().string()
                                                 : "m/" + file.filename().string();
      writer.add(entry, read_prefix(file, seed_bytes));
    }
    writer.flush();
    seeds += writer.written();
  }
  std::cout << "fuzz_pack_corpus: " << seeds << " seeds from " << corpus.string() << " in "
            << out.string() << '\n';
  return seeds > 0 ? 0 : 1;
}
