// Runs the real strata binaries as child processes for the CLI tests: argv in, exit code and the
// complete stdout and stderr out. The child's environment is the test's minus every variable that
// would choose a database behind the test's back (DATABASE_URL, PG*, STRATA_*), plus what the test
// sets.
#pragma once

#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace strata::test {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when the child was killed by a signal
  std::string out;
  std::string err;
  // stderr split into its non-empty lines.
  [[nodiscard]] std::vector<std::string> err_lines() const;
};

using Environment = std::vector<std::pair<std::string, std::string>>;

// Runs `argv` to completion (argv[0] is a path), in `working_directory` when one is given.
[[nodiscard]] ProcessResult run_process(const std::vector<std::string>& argv,
                                        const Environment& environment = {},
                                        const std::string& working_directory = {});

// A child that runs while the test does something else.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const Environment& environment = {},
                    const std::string& working_directory = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Waits for the child and returns what it did.
  ProcessResult wait();

 private:
  pid_t m_pid = -1;
  std::string m_out_path;
  std::string m_err_path;
};

}  // namespace strata::test
