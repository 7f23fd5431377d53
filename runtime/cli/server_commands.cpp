// The commands about the server rather than the migrations: wait, create, drop, dump. They need
// no migration set; create and drop work through a maintenance connection to `postgres`.
#include <algorithm>
#include <cerrno>
#include <chrono>
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
  pq::Connection admin = maintenance_connection(parts);
  if (!database_exists(admin, parts.database)) {
    context.output().progress("Database \"" + parts.database + "\" does not exist");
    return exit_ok;
  }
  admin.exec("DROP DATABASE " + admin.quote_identifier(parts.database));
  context.output().progress("Dropped database \"" + parts.database + "\"");
  return exit_ok;
}

// Runs pg_dump --schema-only into a temporary file beside the target and renames it on success,
// so a failed dump never leaves half a schema.sql. The password goes to pg_dump through
// PGPASSWORD, never on its command line (which `ps` shows).
int dump_command(Context& context) {
  const ConninfoParts parts = parse_conninfo(context.conninfo());
  const std::filesystem::path target{context.invocation().file};
  if (target.has_parent_path())
    std::filesystem::create_directories(target.parent_path());
  const std::string partial = target.string() + ".partial";

  std::vector<std::string> arguments{
      "pg_dump", "--schema-only", "--no-owner", "--no-privileges",
      "--file",  partial,         "--dbname",   parts.rebuilt(parts.database, false)};
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!std::string_view{*entry}.starts_with("PGPASSWORD="))
      environment.emplace_back(*entry);
  }
  if (!parts.password.empty())
    environment.push_back("PGPASSWORD=" + parts.password);
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

  context.output().note("running pg_dump for " + context.redacted());
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
    throw Error("dump: pg_dump failed for " + context.redacted() + " (exit status " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
  std::filesystem::rename(partial, target);
  context.output().progress("Wrote the schema of \"" + parts.database + "\" to " + target.string());
  return exit_ok;
}

}  // namespace strata::cli
