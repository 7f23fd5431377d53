// auth-service — what a service that carries its own migrations looks like.
//
//   auth-service [--url URL] [--no-migrate] [--name NAME] [--email EMAIL]
//   auth-service migrate <command> [options]      (status, up, down, plan, ...: strata's CLI)
//
// On start it applies its pending migrations (the sample schema, compiled in by add_migrations()),
// then does its real work through the stored functions that schema defines: it creates a user
// with insert_user() and reads it back with find_user_by_id().
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <strata/cli.hpp>

#include <libpq-fe.h>

#include "auth_db.hpp"

namespace {

struct ConnDeleter {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnDeleter>;
using Result = std::unique_ptr<PGresult, ResultDeleter>;

struct Options {
  std::string url;  // "" = DATABASE_URL, else libpq's PG* variables
  bool migrate = true;
  std::string name = "Ada Lovelace";
  std::string email;
};

int usage(std::ostream& out, int code) {
  out << "Usage: auth-service [--url URL] [--no-migrate] [--name NAME] [--email EMAIL]\n"
         "       auth-service migrate <command> [options]   (see: auth-service migrate --help)\n";
  return code;
}

// Runs one parameterised query; throws std::runtime_error with the server's message.
Result query(PGconn* conn, const char* sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params)
    values.push_back(param.c_str());
  Result result{PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                             nullptr, nullptr, 0)};
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error(PQresultErrorMessage(result.get()));
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  // The whole strata CLI, on the migrations this binary carries.
  if (argc > 1 && std::string_view{argv[1]} == "migrate") {
    return strata::cli::run(argc - 1, argv + 1, auth_db::migrations(), "auth-service migrate");
  }

  Options options;
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr)
    options.url = url;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg{argv[i]};
    const bool has_value = i + 1 < argc;
    if (arg == "--no-migrate") {
      options.migrate = false;
    } else if (arg == "--url" && has_value) {
      options.url = argv[++i];
    } else if (arg == "--name" && has_value) {
      options.name = argv[++i];
    } else if (arg == "--email" && has_value) {
      options.email = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      return usage(std::cout, 0);
    } else {
      std::cerr << "auth-service: error: unknown argument '" << arg << "'\n";
      return usage(std::cerr, 2);
    }
  }
  if (options.email.empty())
    options.email = "ada." + std::to_string(std::time(nullptr)) + "@example.com";

  // Migrate on start: progress, refusals and exit codes are those of `auth-service migrate up`.
  if (options.migrate) {
    if (const int code = strata::cli::migrate_on_start(auth_db::migrations(),
                                                       "auth-service migrate", options.url);
        code != strata::cli::exit_ok) {
      return code;
    }
  }

  Connection conn{PQconnectdb(options.url.c_str())};
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::cerr << "auth-service: error: cannot connect: " << PQerrorMessage(conn.get());
    return 1;
  }
  try {
    const Result created =
        query(conn.get(), "SELECT insert_user($1, $2)", {options.name, options.email});
    const std::string id = PQgetvalue(created.get(), 0, 0);
    const Result found =
        query(conn.get(), "SELECT id, name, email, created_at FROM find_user_by_id($1)", {id});
    if (PQntuples(found.get()) != 1)
      throw std::runtime_error("user " + id + " not found");
    std::cout << "Created user " << PQgetvalue(found.get(), 0, 0) << ": "
              << PQgetvalue(found.get(), 0, 1) << " <" << PQgetvalue(found.get(), 0, 2)
              << ">, created at " << PQgetvalue(found.get(), 0, 3) << '\n';
  } catch (const std::exception& error) {
    std::cerr << "auth-service: error: " << error.what();
    return 1;
  }
  return 0;
}
