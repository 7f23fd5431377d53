// The scratch server of `replay` (see scratch_server.hpp): finding the server programs, the
// cached cluster, its lock, and running the programs as `postgres` when we are root.
#include "scratch_server.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <pwd.h>
#include <spawn.h>
#include <sstream>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include <strata/error.hpp>

#include "conninfo.hpp"
#include "output.hpp"

extern char** environ;  // NOLINT: POSIX

namespace strata::cli {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view k_no_server =
    "replay: no PostgreSQL server programs found (initdb and pg_ctl in `pg_config --bindir`, "
    "PATH or /usr/lib/postgresql/*/bin): install them (Debian: apt-get install postgresql) or "
    "give a server to replay on with --scratch-url URL (or STRATA_SCRATCH_URL)";

bool has_server_programs(const fs::path& dir) {
  return ::access((dir / "initdb").c_str(), X_OK) == 0 &&
         ::access((dir / "pg_ctl").c_str(), X_OK) == 0;
}

std::string pg_config_bindir() {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe{::popen("pg_config --bindir 2>/dev/null", "r"),
                                             ::pclose};
  if (!pipe)
    return {};
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr)
    out += buffer;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

// pg_config's bindir, then PATH, then Debian's versioned folders, newest first.
fs::path find_bindir() {
  if (const std::string dir = pg_config_bindir(); !dir.empty() && has_server_programs(dir))
    return dir;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::string_view rest{path};
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      const fs::path dir{std::string{rest.substr(0, colon)}};
      if (!dir.empty() && has_server_programs(dir))
        return dir;
      rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon + 1);
    }
  }
  std::vector<fs::path> versions;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator{"/usr/lib/postgresql", error}) {
    if (has_server_programs(entry.path() / "bin"))
      versions.push_back(entry.path() / "bin");
  }
  std::sort(versions.begin(), versions.end(), [](const fs::path& a, const fs::path& b) {
    return std::atoi(a.parent_path().filename().c_str()) >
           std::atoi(b.parent_path().filename().c_str());
  });
  if (versions.empty())
    throw ConfigurationError(std::string{k_no_server});
  return versions.front();
}

std::string tail_of(const fs::path& log) {
  std::ifstream in{log};
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  std::string text;
  for (std::size_t i = lines.size() > 5 ? lines.size() - 5 : 0; i < lines.size(); ++i)
    text += (text.empty() ? "" : " | ") + lines[i];
  return text;
}

// Runs `arguments` (as `postgres` when `as_postgres`), its output appended to `log`. Returns
// whether it exited 0.
bool run_program(std::vector<std::string> arguments, bool as_postgres, const fs::path& log) {
  if (as_postgres)
    arguments.insert(arguments.begin(), {"runuser", "-u", "postgres", "--"});
  std::vector<char*> argv;
  for (std::string& argument : arguments)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t child = 0;
  const int error = ::posix_spawnp(&child, argv.front(), &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (error != 0)
    return false;
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void give_to_postgres(const fs::path& path) {
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr || ::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
    throw Error("replay: cannot give " + path.string() + " to the postgres user");
}

std::string milliseconds_since(Clock::time_point start) {
  return std::to_string(
             std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()) +
         "ms";
}

}  // namespace

fs::path default_scratch_folder() {
  if (::geteuid() == 0)
    return "/var/cache/strata/scratch";
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache == '/')
    return fs::path{cache} / "strata" / "scratch";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0')
    throw ConfigurationError("replay: no HOME to cache the scratch server in: pass --scratch-dir");
  return fs::path{home} / ".cache" / "strata" / "scratch";
}

ScratchServer::ScratchServer(std::string url) : m_url(std::move(url)) {
  static_cast<void>(parse_conninfo(m_url));
}

ScratchServer::ScratchServer(const fs::path& folder, Output& output) {
  Embedded server;
  server.bindir = find_bindir();
  server.as_postgres = ::geteuid() == 0;
  if (server.as_postgres && ::getpwnam("postgres") == nullptr) {
    throw ConfigurationError(
        "replay: initdb refuses to run as root and there is no `postgres` user to run the "
        "scratch server as: create one (useradd --system postgres) or pass --scratch-url URL");
  }
  fs::create_directories(folder);
  fs::permissions(folder, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  server.data = folder / "data";
  // One run at a time per folder: the cluster, its templates and its socket are shared state.
  server.lock_fd = ::open((folder / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (server.lock_fd < 0)
    throw Error("replay: cannot open " + (folder / "lock").string() + ": " + std::strerror(errno));
  if (::flock(server.lock_fd, LOCK_EX | LOCK_NB) != 0) {
    output.note("waiting for another replay using " + folder.string());
    while (::flock(server.lock_fd, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  m_embedded = std::move(server);  // from here on the destructor releases what was taken
  try {
    start(folder, output);
  } catch (...) {
    stop();
    throw;
  }
}

void ScratchServer::start(const fs::path& folder, Output& output) {
  Embedded& s = *m_embedded;
  const fs::path log = s.data / "server.log";  // the server, maybe `postgres`, writes it
  if (!fs::exists(s.data / "PG_VERSION")) {
    const auto began = Clock::now();
    fs::remove_all(s.data);
    fs::create_directories(s.data);
    if (s.as_postgres)
      give_to_postgres(s.data);
    if (!run_program({(s.bindir / "initdb").string(), "-D", s.data.string(), "-U", "postgres", "-A",
                      "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"},
                     s.as_postgres, folder / "initdb.log")) {
      fs::remove_all(s.data);
      throw Error("replay: initdb failed in " + folder.string() + ": " +
                  tail_of(folder / "initdb.log") +
                  (s.as_postgres ? " (as root the server runs as `postgres`, which must be able "
                                   "to reach this folder: pass --scratch-dir under /var/tmp)"
                                 : ""));
    }
    std::ofstream conf{s.data / "postgresql.conf", std::ios::app};
    conf << "\n# strata replay: a throwaway server, reachable only through its socket\n"
            "listen_addresses = ''\nfsync = off\nsynchronous_commit = off\n"
            "full_page_writes = off\njit = off\n";
    output.note("initialised the scratch cluster in " + s.data.string() + " in " +
                milliseconds_since(began));
  }
  const auto began = Clock::now();
  if (fs::exists(s.data / "postmaster.pid")) {  // left by a run that was killed: we hold the lock
    static_cast<void>(run_program(
        {(s.bindir / "pg_ctl").string(), "-D", s.data.string(), "-m", "immediate", "-w", "stop"},
        s.as_postgres, log));
  }
  std::string socket_template = (fs::temp_directory_path() / "strata-replay-XXXXXX").string();
  if (::mkdtemp(socket_template.data()) == nullptr)
    throw Error("replay: cannot create a socket folder: " + std::string{std::strerror(errno)});
  s.socket_dir = socket_template;
  if (s.as_postgres)
    give_to_postgres(s.socket_dir);
  if (!run_program({(s.bindir / "pg_ctl").string(), "-D", s.data.string(), "-l", log.string(), "-w",
                    "-t", "60", "-o", "-k '" + s.socket_dir.string() + "' -p 5432", "start"},
                   s.as_postgres, folder / "pg_ctl.log")) {
    throw Error("replay: the scratch server in " + s.data.string() +
                " did not start: " + tail_of(log) + " (remove the folder to start afresh)");
  }
  output.note("started the scratch server in " + s.data.string() + " in " +
              milliseconds_since(began));
}

ScratchServer::~ScratchServer() {
  stop();
}

ScratchServer::ScratchServer(ScratchServer&& other) noexcept
    : m_url(std::move(other.m_url)), m_embedded(std::exchange(other.m_embedded, std::nullopt)) {}

ScratchServer& ScratchServer::operator=(ScratchServer&& other) noexcept {
  if (this != &other) {
    stop();
    m_url = std::move(other.m_url);
    m_embedded = std::exchange(other.m_embedded, std::nullopt);
  }
  return *this;
}

void ScratchServer::stop() noexcept {
  if (!m_embedded)
    return;
  Embedded& s = *m_embedded;
  try {
    if (!s.socket_dir.empty()) {
      static_cast<void>(run_program(
          {(s.bindir / "pg_ctl").string(), "-D", s.data.string(), "-m", "fast", "-w", "stop"},
          s.as_postgres, s.data.parent_path() / "pg_ctl.log"));
      std::error_code ignored;
      fs::remove_all(s.socket_dir, ignored);
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; the lock goes
  }
  if (s.lock_fd >= 0)
    ::close(s.lock_fd);
  m_embedded.reset();
}

std::string ScratchServer::conninfo(std::string_view database) const {
  if (m_embedded) {
    return "host='" + m_embedded->socket_dir.string() + "' port=5432 user=postgres dbname='" +
           std::string{database} + "'";
  }
  return parse_conninfo(m_url).rebuilt(database, true);
}

}  // namespace strata::cli
