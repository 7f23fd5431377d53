// Unit tests of strata::cli's command line: parsing, durations, JSON text, secrets. No database.
#include "command_line.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "conninfo.hpp"
#include "json.hpp"
#include "output.hpp"

namespace {

using strata::cli::Command;
using strata::cli::Invocation;
using strata::cli::UsageError;

Invocation parse(std::vector<const char*> args, const strata::cli::Host& host = {}) {
  args.insert(args.begin(), "strata");
  return strata::cli::parse_command_line(static_cast<int>(args.size()), args.data(), host);
}

}  // namespace

TEST_CASE("A command line names its command and its options in any order", "[cli][unit]") {
  const Invocation invocation = parse({"--url", "postgresql://h/db", "down", "--steps", "2",
                                       "--table", "migration.history", "--lock-timeout", "5s"});
  REQUIRE(invocation.spec != nullptr);
  CHECK(invocation.spec->command == Command::down);
  CHECK(invocation.url == "postgresql://h/db");
  CHECK(invocation.steps == 2U);
  CHECK(invocation.table == "migration.history");
  CHECK(invocation.lock_timeout == std::chrono::seconds{5});
}

TEST_CASE("Usage mistakes are UsageErrors that name what is wrong", "[cli][unit]") {
  CHECK_THROWS_WITH(parse({"frobnicate"}), "unknown command 'frobnicate'");
  CHECK_THROWS_WITH(parse({"status", "--to", "5"}), "'--to' is not an option of status");
  CHECK_THROWS_WITH(parse({"down", "--steps", "2", "--to", "1"}),
                    "give one of --steps, --to or --all");
  CHECK_THROWS_WITH(parse({"down", "--steps", "zero"}), "--steps: 'zero' is not a positive number");
  CHECK_THROWS_WITH(parse({"status", "extra"}), "status takes no arguments (got 'extra')");
  CHECK_THROWS_WITH(parse({"resolve"}),
                    "resolve needs exactly one of --mark-applied VERSION, --forget VERSION or "
                    "--mark-rolled-back VERSION");
  CHECK_THROWS_AS(parse({"status", "--no-such-option"}), UsageError);
  CHECK_THROWS_AS(parse({}), UsageError);
  CHECK_THROWS_AS(parse({"status", "-v", "-q"}), UsageError);
}

TEST_CASE("Help is available for the overview and for each command", "[cli][unit]") {
  CHECK(parse({"--help"}).help);
  CHECK(parse({"help"}).help);
  const Invocation up_help = parse({"help", "up"});
  CHECK(up_help.help);
  REQUIRE(up_help.spec != nullptr);
  CHECK(up_help.spec->command == Command::up);
  const std::string text = strata::cli::help_text({"strata", {}, {}, {}}, up_help.spec);
  CHECK_THAT(text, Catch::Contains("--to VERSION"));
  CHECK_THAT(text, Catch::Contains("3  refused"));
  CHECK_THAT(text, Catch::Contains("4  timed out waiting for the migration lock"));
}

TEST_CASE("adopt's help says STRATA_TABLE sets strata's table (--into), not the other tool's",
          "[cli][unit]") {
  const Invocation adopt_help = parse({"help", "adopt"});
  REQUIRE(adopt_help.spec != nullptr);
  // Joined on one line: the variable list wraps at any space.
  std::string text = strata::cli::help_text({"strata", {}, {}, {}}, adopt_help.spec);
  std::replace(text.begin(), text.end(), '\n', ' ');
  CHECK_THAT(text, Catch::Contains("STRATA_TABLE (--into)"));
  CHECK_THAT(text, !Catch::Contains("STRATA_TABLE (--table)"));
  std::string up_text = strata::cli::help_text({"strata", {}, {}, {}}, parse({"help", "up"}).spec);
  std::replace(up_text.begin(), up_text.end(), '\n', ' ');
  CHECK_THAT(up_text, Catch::Contains("STRATA_TABLE (--table)"));
}

TEST_CASE("Durations take a unit, seconds by default", "[cli][unit]") {
  using strata::cli::parse_duration;
  CHECK(parse_duration("90", "timeout") == std::chrono::seconds{90});
  CHECK(parse_duration("250ms", "timeout") == std::chrono::milliseconds{250});
  CHECK(parse_duration("2m", "timeout") == std::chrono::minutes{2});
  CHECK(parse_duration("1h", "timeout") == std::chrono::hours{1});
  CHECK_THROWS_WITH(parse_duration("soon", "timeout"),
                    "--timeout: 'soon' is not a duration (examples: 30s, 500ms, 2m, 1h)");
  CHECK_THROWS_AS(parse_duration("5 weeks", "timeout"), UsageError);
}

TEST_CASE("Host options reach the host, with defaults, only on commands that load the set",
          "[cli][unit]") {
  strata::cli::Host host;
  host.program = "strata";
  host.options = {{"dir,d", "DIR", "migrations folder", "db/migrations", false},
                  {"ignore", "GLOB", "not a migration", "", true}};
  const Invocation invocation =
      parse({"status", "--ignore", "*.seed.sql", "--ignore", "x.sql"}, host);
  REQUIRE(invocation.host_values.size() == 2);
  CHECK(invocation.host_values[0].first == "dir");
  CHECK(invocation.host_values[0].second == std::vector<std::string>{"db/migrations"});
  CHECK(invocation.host_values[1].second == std::vector<std::string>{"*.seed.sql", "x.sql"});
  CHECK_THROWS_WITH(parse({"wait", "-d", "x"}, host), "'--dir' is not an option of wait");
}

TEST_CASE("A host command is parsed like a built-in one: options anywhere, its own values",
          "[cli][unit]") {
  strata::cli::Host host;
  host.program = "strata";
  host.options = {{"dir,d", "DIR", "migrations folder", "", false},
                  {"ignore", "GLOB", "not a migration", "", true}};
  host.commands = {
      {"new",
       "Create a migration",
       "",
       "NAME",
       {"dir"},
       {{"form", "FORM", "file form", "dbmate", false}, {"quick", "", "a switch", "", false}},
       {}}};
  const Invocation invocation = parse({"-d", "db", "new", "users", "--quick"}, host);
  REQUIRE(invocation.host_command != nullptr);
  CHECK(invocation.host_command->name == "new");
  CHECK(invocation.arguments == std::vector<std::string>{"users"});
  REQUIRE(invocation.host_values.size() == 3);
  CHECK(invocation.host_values[0] ==
        std::pair<std::string, std::vector<std::string>>{"dir", {"db"}});
  CHECK(invocation.host_values[1].second == std::vector<std::string>{"dbmate"});
  CHECK(invocation.host_values[2].second == std::vector<std::string>{"1"});
  CHECK_THROWS_WITH(parse({"new", "x", "--ignore", "*.sql"}, host),
                    "'--ignore' is not an option of new");
  CHECK_THROWS_WITH(parse({"status", "--quick"}, host), "'--quick' is not an option of status");
  CHECK(parse({"new", "--help"}, host).help);
  CHECK(parse({"-V"}, host).version);
  CHECK(parse({"version"}, host).version);
}

TEST_CASE(
    "A host's compiled-in history table is the default that STRATA_TABLE and --table override",
    "[cli][unit]") {
  strata::cli::Host host;
  host.history_table = "migration.history";
  ::unsetenv("STRATA_TABLE");
  CHECK(parse({"status"}, host).table == "migration.history");
  CHECK(parse({"status"}).table == "strata_migrations");
  CHECK(parse({"status", "--table", "other"}, host).table == "other");
  ::setenv("STRATA_TABLE", "from_env", 1);
  CHECK(parse({"status"}, host).table == "from_env");
  // adopt: --table is the other tool's; strata's own keeps the default.
  CHECK(parse({"adopt", "--table", "schema_migrations"}, host).table == "from_env");
  ::unsetenv("STRATA_TABLE");
  CHECK(parse({"adopt", "--table", "schema_migrations"}, host).table == "migration.history");
}

TEST_CASE("A host command that reads no environment takes only its command line", "[cli][unit]") {
  strata::cli::Host host;
  host.commands.push_back({"generate", "g", "", "", {}, {{"table", "NAME", "t", "", false}}, {}});
  ::setenv("STRATA_TABLE", "from_env", 1);
  const auto table_of = [&](const Invocation& invocation) {
    for (const auto& [name, values] : invocation.host_values) {
      if (name == "table")
        return values.empty() ? std::string{} : values.front();
    }
    return std::string{"(none)"};
  };
  CHECK(table_of(parse({"generate"}, host)) == "from_env");
  host.commands.front().reads_environment = false;
  CHECK(table_of(parse({"generate"}, host)).empty());
  CHECK(table_of(parse({"generate", "--table", "t"}, host)) == "t");
  ::unsetenv("STRATA_TABLE");
}

TEST_CASE("JSON output escapes strings and separates members", "[cli][unit]") {
  strata::cli::JsonWriter json;
  json.begin_object().key("a").value("quote \" slash \\ newline \n tab \t bell \a");
  json.key("list").begin_array().value(std::int64_t{1}).value(true).null().end_array();
  json.key("empty").string_or_null("").end_object();
  CHECK(json.str() ==
        "{\"a\":\"quote \\\" slash \\\\ newline \\n tab \\t bell \\u0007\",\"list\":[1,true,null],"
        "\"empty\":null}\n");
}

TEST_CASE("JSON output replaces bytes that are not UTF-8, so the document stays valid",
          "[cli][unit]") {
  strata::cli::JsonWriter json;
  json.begin_object()
      .key("name")
      .value("caf\xE9 \xC3\xA9 \xF0\x9F\x98\x80 \xED\xA0\x80 \xC3")
      .end_object();
  CHECK(json.str() ==
        "{\"name\":\"caf\\ufffd \xC3\xA9 \xF0\x9F\x98\x80 \\ufffd\\ufffd\\ufffd \\ufffd\"}\n");
}

TEST_CASE("Migration names print with control characters and bytes that are not UTF-8 escaped",
          "[cli][unit]") {
  CHECK(strata::cli::display_name(strata::MigrationKind::migration, "1", "a\x1b[2Jb\xE9") ==
        "1_a\\x1b[2Jb\\xe9");
  CHECK(strata::cli::display_name(strata::MigrationKind::routine, "", "caf\xC3\xA9\xC2\x9B") ==
        "caf\xC3\xA9\\xc2\\x9b");
}

TEST_CASE("Passwords are found in URLs, key=value strings and --url= tokens", "[cli][unit]") {
  const auto secrets = strata::cli::secrets_in({"status", "postgresql://u:url-secret@h/db",
                                                "--url=host=h password=kv-secret",
                                                "postgres://u:bad-port-secret@h:notaport/db"});
  CHECK(std::find(secrets.begin(), secrets.end(), "url-secret") != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "kv-secret") != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "bad-port-secret") != secrets.end());

  std::ostringstream out;
  std::ostringstream err;
  strata::cli::Output output{out, err, "strata", secrets};
  output.error("cannot connect to host=h password=kv-secret:\nFATAL:  no");
  CHECK(err.str() == "strata: error: cannot connect to host=h password=***: FATAL:  no\n");
}

TEST_CASE("The maintenance connection keeps everything but the database", "[cli][unit]") {
  const strata::cli::ConninfoParts parts =
      strata::cli::parse_conninfo("postgresql://ann:pw@127.0.0.1:5433/app?sslmode=disable");
  CHECK(parts.database == "app");
  CHECK(parts.password == "pw");
  const std::string maintenance = parts.rebuilt("postgres", true);
  CHECK_THAT(maintenance, Catch::Contains("dbname=postgres"));
  CHECK_THAT(maintenance, Catch::Contains("port=5433"));
  CHECK_THAT(maintenance, Catch::Contains("password=pw"));
  CHECK_THAT(parts.rebuilt("app", false), !Catch::Contains("password"));
  CHECK_THROWS_AS(strata::cli::parse_conninfo("host=h bogus_keyword=1"),
                  strata::ConfigurationError);
}
