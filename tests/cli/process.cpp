// Child processes for the CLI tests: posix_spawn with stdout and stderr sent to temporary files
// (no pipes, so a chatty child can never block on a full pipe).
#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX

namespace strata::test {
namespace {

std::string temp_path() {
  std::string path =
      (std::getenv("TMPDIR") != nullptr ? std::string{std::getenv("TMPDIR")} : "/tmp") +
      "/strata-cli-test.XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0)
    throw std::runtime_error("mkstemp failed");
  ::close(fd);
  return path;
}

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool chooses_database(std::string_view entry) {
  return entry.starts_with("DATABASE_URL=") || entry.starts_with("PG") ||
         entry.starts_with("STRATA_") || entry.starts_with("NO_COLOR=");
}

pid_t spawn(const std::vector<std::string>& argv, const Environment& environment,
            const std::string& working_directory, const std::string& out_path,
            const std::string& err_path) {
  std::vector<std::string> env;
  const auto overridden = [&](std::string_view entry) {
    for (const auto& [name, value] : environment) {
      if (entry.starts_with(name + "="))
        return true;
    }
    return false;
  };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!chooses_database(*entry) && !overridden(*entry))
      env.emplace_back(*entry);
  }
  for (const auto& [name, value] : environment)
    env.push_back(name + "=" + value);  // NOLINT(performance-inefficient-string-concatenation)
  std::vector<char*> env_pointers;
  env_pointers.reserve(env.size() + 1);
  for (std::string& entry : env)
    env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  arg_pointers.reserve(args.size() + 1);
  for (std::string& arg : args)
    arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_TRUNC,
                                   0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_TRUNC,
                                   0);
  if (!working_directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
  pid_t pid = -1;
  const int error = ::posix_spawn(&pid, args.front().c_str(), &actions, nullptr,
                                  arg_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0)
    throw std::runtime_error("cannot start " + args.front());
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw std::runtime_error("waitpid failed");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::vector<std::string> ProcessResult::err_lines() const {
  std::vector<std::string> lines;
  std::istringstream in{err};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty())
      lines.push_back(line);
  }
  return lines;
}

ProcessResult run_process(const std::vector<std::string>& argv, const Environment& environment,
                          const std::string& working_directory) {
  BackgroundProcess process{argv, environment, working_directory};
  return process.wait();
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const Environment& environment,
                                     const std::string& working_directory)
    : m_out_path(temp_path()), m_err_path(temp_path()) {
  m_pid = spawn(argv, environment, working_directory, m_out_path, m_err_path);
}

BackgroundProcess::~BackgroundProcess() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
  ::unlink(m_out_path.c_str());
  ::unlink(m_err_path.c_str());
}

ProcessResult BackgroundProcess::wait() {
  ProcessResult result;
  result.exit_code = wait_for(m_pid);
  m_pid = -1;
  result.out = slurp(m_out_path);
  result.err = slurp(m_err_path);
  return result;
}

}  // namespace strata::test
