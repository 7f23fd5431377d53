// Runs fuzz inputs once each, without libFuzzer: the seeds and the regression inputs (crashes and
// hangs found by fuzzing, kept after their fix) as an ordinary test of every build. Arguments are
// files or folders of files. A broken promise or a sanitizer report aborts, which fails the test.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_of(const fs::path& argument) {
  std::vector<fs::path> inputs;
  if (fs::is_directory(argument)) {
    for (const auto& entry : fs::directory_iterator{argument}) {
      if (entry.is_regular_file())
        inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
  } else {
    inputs.push_back(argument);
  }
  return inputs;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const fs::path& input : inputs_of(argv[i])) {
      std::ifstream in{input, std::ios::binary};
      if (!in) {
        std::cerr << "fuzz_replay: cannot read " << input << '\n';
        return 1;
      }
      const std::string bytes{std::istreambuf_iterator<char>{in}, {}};
      std::cout << "fuzz_replay: " << input.filename().string() << std::endl;
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  std::cout << "fuzz_replay: " << replayed << " inputs, no failure\n";
  return replayed > 0 ? 0 : 1;
}
