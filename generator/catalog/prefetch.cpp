// PrefetchedFiles: every file of a list read once, by the calling thread and one helper taking
// turns from a shared counter, so a slow file never holds the other thread up.
#include "catalog/prefetch.hpp"

#include <atomic>
#include <new>
#include <optional>
#include <system_error>
#include <thread>

namespace strata::generator {

namespace {

// Below this many files a second thread costs about what it saves.
constexpr std::size_t files_worth_a_thread = 32;

}  // namespace

PrefetchedFiles::PrefetchedFiles(const std::vector<std::filesystem::path>& paths) {
  std::vector<FileContents> contents(paths.size());
  std::atomic<std::size_t> next{0};
  const auto read_some = [&]() noexcept {
    for (std::size_t i = next++; i < paths.size(); i = next++) {
      try {
        contents[i].problem = read_regular_file(paths[i], contents[i].bytes);
      } catch (const std::bad_alloc&) {
        contents[i].bytes = {};
        contents[i].out_of_memory = true;
      }
    }
  };
  std::optional<std::jthread> helper;
  if (paths.size() >= files_worth_a_thread && std::thread::hardware_concurrency() > 1) {
    try {
      helper.emplace(read_some);
    } catch (const std::system_error&) {
      // No thread to be had (a process or memory limit): this one reads them all.
    }
  }
  read_some();
  helper.reset();  // joins
  m_contents.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i)
    m_contents.emplace(paths[i].native(), std::move(contents[i]));
}

std::optional<FileContents> PrefetchedFiles::take(const std::filesystem::path& path) {
  const auto found = m_contents.find(path.native());
  if (found == m_contents.end())
    return std::nullopt;
  std::optional<FileContents> contents{std::move(found->second)};
  m_contents.erase(found);
  return contents;
}

}  // namespace strata::generator
