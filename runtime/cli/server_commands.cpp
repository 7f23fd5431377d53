// The commands about the server rather than the migrations: wait, create, drop, dump. They need
// no migration set; create and drop work through a maintenance connection to `postgres`.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <libpq-fe.h>

#include "commands.hpp"
#include "conninfo.hpp"
#include "pq/connection.hpp"

extern char** environ;  // NOLINT: POSIX's way to hand the environment to posix_spawnp

namespace strata::cli {
namespace {

// A connection to the `postgres` database of the server that `conninfo` names.
pq::Connection maintenance_connection(const ConninfoParts& parts) {
  return pq::Connection{parts.rebuilt("postgres", true), "strata"};
}

bool database_exists(pq::Connection& admin, const std::string& database) {
  return admin.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", {database}).rows() > 0;
}

// drop decides alone, before connecting, what it will never drop: the server would refuse some of
// these, but a URL without a database name would drop the database named after the user.
void refuse_unsafe_drop(const ConninfoParts& parts) {
  if (!parts.database_named) {
    throw ConfigurationError(
        "drop: the connection string names no database (libpq would fall back to \"" +
        parts.database +
        "\", the user's name); name the database to drop in the URL (postgresql://HOST/NAME), "
        "as dbname=NAME, or in PGDATABASE");
  }
  for (const std::string_view kept : {"postgres", "template0", "template1"}) {
    if (parts.database == kept) {
      throw ConfigurationError("drop: refusing to drop \"" + parts.database +
                               "\": the server needs it (drop connects to \"postgres\" to drop "
                               "the database named in the URL)");
    }
  }
}

// A file only its owner can read, removed when this goes away. pg_dump reads from it the secret
// that has no environment variable (sslpassword), so that it never stands on pg_dump's command
// line, which `ps` shows to every user.
class PrivateFile {
 public:
  explicit PrivateFile(std::string_view text)
      : m_path((std::filesystem::temp_directory_path() / "strata-dump-XXXXXX").string()) {
    const int fd = ::mkstemp(m_path.data());  // created with mode 0600
    if (fd < 0)
      throw Error("dump: cannot create a temporary file: " + std::string{std::strerror(errno)});
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) {
      std::filesystem::remove(m_path);
      throw Error("dump: cannot write the temporary file " + m_path);
    }
  }
  ~PrivateFile() {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
  }
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return m_path; }

 private:
  std::string m_path;
};

constexpr std::string_view dump_service = "strata_dump";

// The service file that hands pg_dump the sslpassword (libpq reads `service=` entries from the
// file PGSERVICEFILE names). Throws ConfigurationError when that cannot carry it faithfully.
std::string sslpassword_service(const ConninfoParts& parts) {
  const bool named_service =
      std::any_of(parts.pairs.begin(), parts.pairs.end(),
                  [](const auto& pair) { return pair.first == "service"; }) ||
      std::getenv("PGSERVICE") != nullptr;
  if (named_service) {
    throw ConfigurationError(
        "dump: cannot pass sslpassword to pg_dump together with a service name (both go through "
        "a service file); put sslpassword into your service file instead");
  }
  const std::string& secret = parts.sslpassword;
  if (secret.find_first_of("\n\r") != std::string::npos ||
      std::isspace(static_cast<unsigned char>(secret.front())) != 0 ||
      std::isspace(static_cast<unsigned char>(secret.back())) != 0) {
    throw ConfigurationError(
        "dump: an sslpassword with line breaks or surrounding spaces cannot be passed to pg_dump "
        "through a service file");
  }
  return "[" + std::string{dump_service} + "]\nsslpassword=" + secret + "\n";
}

}  // namespace

int wait_command(Context& context) {
  const std::chrono::milliseconds waited = wait_for_server(context, context.invocation().timeout);
  context.output().progress("The server accepts connections (waited " + format_duration(waited) +
                            ")");
  return exit_ok;
}

std::chrono::milliseconds wait_for_server(Context& context, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  auto delay = std::chrono::milliseconds{100};
  static_cast<void>(parse_conninfo(context.conninfo()));  // a typo is exit 2, not a long wait
  context.output().note("waiting for " + context.redacted());
  while (true) {
    switch (PQping(context.conninfo().c_str())) {
      case PQPING_OK:
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      case PQPING_NO_ATTEMPT:
        throw ConfigurationError("cannot connect to " + context.redacted() +
                                 ": invalid connection string");
      default:
        break;  // not up yet, or rejecting connections while it starts
    }
    if (Clock::now() + delay > deadline) {
      throw ConnectionError(context.redacted() + " did not accept connections within " +
                            format_duration(timeout));
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds{1000});
  }
}

bool create_missing_database(Context& context) {
  const ConninfoParts parts = parse_conninfo(context.conninfo());
  std::optional<pq::Connection> admin;
  try {
    admin.emplace(maintenance_connection(parts));
  } catch (const ConnectionError&) {
    return false;  // the server itself is the problem: the caller's error says more
  }
  if (database_exists(*admin, parts.database))
    return false;
  admin->exec("CREATE DATABASE " + admin->quote_identifier(parts.database));
  context.output().progress("Created database \"" + parts.database + "\"");
  return true;
}

int create_command(Context& context) {
  const ConninfoParts parts = parse_conninfo(context.conninfo());
  pq::Connection admin = maintenance_connection(parts);
  if (database_exists(admin, parts.database)) {
    context.output().progress("Database \"" + parts.database + "\" already exists");
    return exit_ok;
  }
  admin.exec("CREATE DATABASE " + admin.quote_identifier(parts.database));
  context.output().progress("Created database \"" + parts.database + "\"");
  return exit_ok;
}

int drop_command(Context& context) {
  const ConninfoParts parts = parse_conninfo(context.conninfo());
  refuse_unsafe_drop(parts);
  pq::Connection admin = maintenance_connection(parts);
  if (!database_exists(admin, parts.database)) {
    context.output().progress("Database \"" + parts.database + "\" does not exist");
    return exit_ok;
  }
  admin.exec("DROP DATABASE " + admin.quote_identifier(parts.database));
  context.output().progress("Dropped database \"" + parts.database + "\"");
  return exit_ok;
}

// The secrets go to pg_dump through PGPASSWORD and a private service file, never on its command
// line (which `ps` shows).
void run_pg_dump(Context& context, const std::string& conninfo, const std::filesystem::path& file) {
  const ConninfoParts parts = parse_conninfo(conninfo);
  const std::string partial = file.string();
  const std::string redacted = pq::redact(conninfo);
  std::string dbname = parts.rebuilt(parts.database, false);
  std::optional<PrivateFile> service_file;
  if (!parts.sslpassword.empty()) {
    service_file.emplace(sslpassword_service(parts));
    dbname += " service=" + std::string{dump_service};
  }
  std::vector<std::string> arguments{"pg_dump", "--schema-only", "--no-owner", "--no-privileges",
                                     "--file",  partial,         "--dbname",   dbname};
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable{*entry};
    const bool replaced = variable.starts_with("PGPASSWORD=") ||
                          (service_file && variable.starts_with("PGSERVICEFILE="));
    if (!replaced)
      environment.emplace_back(variable);
  }
  if (!parts.password.empty())
    environment.push_back("PGPASSWORD=" + parts.password);
  if (service_file)
    environment.push_back("PGSERVICEFILE=" + service_file->path());
  const auto pointers = [](std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (std::string& text : strings)
      out.push_back(text.data());
    out.push_back(nullptr);
    return out;
  };
  std::vector<char*> argv = pointers(arguments);
  std::vector<char*> envp = pointers(environment);

  context.output().note("running pg_dump for " + redacted);
  pid_t child = 0;
  if (const int error =
          ::posix_spawnp(&child, "pg_dump", nullptr, nullptr, argv.data(), envp.data());
      error != 0) {
    throw Error("dump: cannot run pg_dump: " + std::string{std::strerror(error)} +
                " (install the Debian package postgresql-client)");
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::filesystem::remove(partial);
    throw Error("dump: pg_dump failed for " + redacted + " (exit status " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
}

// Runs pg_dump into a temporary file beside the target and renames it on success, so a failed
// dump never leaves half a schema.sql.
int dump_command(Context& context) {
  const ConninfoParts parts = parse_conninfo(context.conninfo());
  const std::filesystem::path target{context.invocation().file};
  if (target.has_parent_path())
    std::filesystem::create_directories(target.parent_path());
  const std::string partial = target.string() + ".partial";
  run_pg_dump(context, context.conninfo(), partial);
  finish_schema_dump(context, partial);
  std::filesystem::rename(partial, target);
  context.output().progress("Wrote the schema of \"" + parts.database + "\" to " + target.string());
  return exit_ok;
}

}  // namespace strata::cli
