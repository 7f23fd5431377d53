// The compiler's fuzz target: each input is an archive (archive.hpp) written out as a folder
// tree, then compiled (catalog, every check, lint) and, when it compiles, emitted. Besides the
// sanitizers' own reports it stops on a broken promise of the compiler:
//  - a compile that fails printed at least one error;
//  - the diagnostics never carry a raw control byte (NUL, ESC, …) to the terminal;
//  - a table that compiled can be emitted.
// Built with libFuzzer (STRATA_FUZZ) it explores; built without, replay_main.cpp runs the seeds
// and the regression inputs through the same function.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "emit/emitter.hpp"
#include "fuzz/archive.hpp"
#include "strata/generator/compiler.hpp"

namespace {

namespace fs = std::filesystem;

// The folder inputs are written to, emptied before each input; one per process, so parallel
// fuzzing jobs do not share it.
class WorkFolder {
 public:
  WorkFolder()
      : m_path(fs::temp_directory_path() / ("strata-fuzz-" + std::to_string(::getpid()))) {}
  ~WorkFolder() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  WorkFolder(const WorkFolder&) = delete;
  WorkFolder& operator=(const WorkFolder&) = delete;

  const fs::path& fresh() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
    fs::create_directories(m_path);
    return m_path;
  }

 private:
  fs::path m_path;
};

[[noreturn]] void broken_promise(std::string_view what, const std::string& output) {
  std::fprintf(stderr, "compile_fuzzer: %.*s\n--- compiler output ---\n%s\n",
               static_cast<int>(what.size()), what.data(), output.c_str());
  std::abort();
}

// A byte a terminal would act on: C0 controls but newline and tab, and DEL.
bool is_raw_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static WorkFolder work;
  const strata::fuzz::Archive archive =
      strata::fuzz::parse_archive({reinterpret_cast<const char*>(data), size});
  const fs::path& root = work.fresh();
  strata::fuzz::materialise(archive, root);

  strata::generator::SourceOptions options;
  options.migrations_dir = root / archive.migrations_dir;
  if (archive.routines_dir)
    options.routines_dir = root / *archive.routines_dir;
  options.ignore_globs = archive.ignore_globs;
  options.warnings_as_errors = archive.warnings_as_errors;

  std::ostringstream printed;
  const auto compiled = strata::generator::compile(options, printed);
  const std::string output = printed.str();
  if (!compiled && output.find("error: ") == std::string::npos)
    broken_promise("the compile failed without printing an error", output);
  for (char c : output) {
    if (is_raw_control(c))
      broken_promise("the diagnostics print a raw control byte", output);
  }
  if (compiled) {
    const auto files = strata::generator::emit(compiled->set(), {"fuzz_db", "fuzz input"});
    if (files.source.empty() || files.header.empty())
      broken_promise("a compiled table emitted nothing", output);
  }
  return 0;
}
