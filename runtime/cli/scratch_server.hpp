// The PostgreSQL server `replay` proves migrations on: the one --scratch-url names, or a private
// cluster strata initialises once in a cache folder and starts for the run (Unix socket only,
// fsync off), stopped again when the run ends.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace strata::cli {

class Output;

class ScratchServer {
 public:
  // The server `url` connects to (its database is only the default for administrative
  // connections). Nothing is started or stopped. Throws ConfigurationError for a string libpq
  // cannot parse.
  explicit ScratchServer(std::string url);

  // Starts the cluster cached in `folder`, initialising it first when it has none (initdb, about
  // three seconds, once per folder). Replays sharing the folder take turns (a lock file in it).
  // Run as root, the server runs as the `postgres` user. Throws ConfigurationError when no
  // PostgreSQL server programs are installed or, as root, there is no `postgres` user; Error when
  // initdb or the start fails (with the end of the server's log).
  ScratchServer(const std::filesystem::path& folder, Output& output);

  ~ScratchServer();  // stops the server it started
  ScratchServer(ScratchServer&&) noexcept;
  ScratchServer& operator=(ScratchServer&&) noexcept;
  ScratchServer(const ScratchServer&) = delete;
  ScratchServer& operator=(const ScratchServer&) = delete;

  // A connection string for `database` on this server.
  [[nodiscard]] std::string conninfo(std::string_view database) const;
  // Whether strata started it (and the databases on it are strata's alone).
  [[nodiscard]] bool embedded() const noexcept { return m_embedded.has_value(); }

 private:
  struct Embedded {
    std::filesystem::path bindir;
    std::filesystem::path data;
    std::filesystem::path socket_dir;
    int lock_fd = -1;
    bool as_postgres = false;
  };
  void start(const std::filesystem::path& folder, Output& output);
  void stop() noexcept;

  std::string m_url;
  std::optional<Embedded> m_embedded;
};

// Where the embedded server's cluster is cached when --scratch-dir is not given:
// $XDG_CACHE_HOME/strata/scratch, else ~/.cache/strata/scratch; as root /var/cache/strata/scratch
// (root's home is closed to the `postgres` user the server runs as).
[[nodiscard]] std::filesystem::path default_scratch_folder();

}  // namespace strata::cli
