// The manual page (roff, section 1), generated from the command table (options.hpp) that --help
// prints, so it lists exactly the commands and options the program has.
#include <sstream>

#include <strata/version.hpp>

#include "command_line.hpp"
#include "options.hpp"

namespace strata::cli {
namespace {

// Text safe in a roff line: backslashes doubled, '-' as \-, a leading '.' or '\'' escaped.
std::string roff(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\''))
    out.insert(0, "\\&");
  return out;
}

}  // namespace

std::string man_page(const Host& host) {
  const std::string version{version_string};
  std::ostringstream out;
  out << ".TH STRATA 1 \"\" \"strata " << version << "\" \"User Commands\"\n"
      << ".SH NAME\n"
      << roff(host.program) << " \\- PostgreSQL migrations compiled into C++ programs\n"
      << ".SH SYNOPSIS\n"
      << ".B " << roff(host.program) << "\n.I command\n[\\fIoptions\\fR]\n"
      << ".SH DESCRIPTION\n"
      << "Checks, plans, applies and rolls back the migrations of a folder (or of the program\n"
         "that carries them). Options may come before or after the command; every command\n"
         "takes \\fB\\-\\-help\\fR. \\fB\\-\\-version\\fR prints the version.\n"
      << ".SH COMMANDS\n";
  for (const CommandEntry& entry : every_command(host)) {
    out << ".SS \"" << roff(entry.name) << (entry.argument.empty() ? "" : " ")
        << roff(entry.argument) << "\"\n"
        << roff(entry.summary) << ".\n";
    for (const auto& option : entry.options.options()) {
      if (option->long_name() == "help")
        continue;
      const std::string parameter =
          option->semantic()->max_tokens() != 0U ? " " + option->format_parameter() : "";
      out << ".TP\n.B " << roff(option->format_name()) << roff(parameter) << "\n"
          << roff(option->description()) << "\n";
    }
  }
  out << ".SH ENVIRONMENT\n"
      << ".TP\n.B DATABASE_URL\nThe database when \\fB\\-\\-url\\fR is absent; else libpq's "
         "PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.\n"
      << ".TP\n.B STRATA_*\nEach option's variable (STRATA_TABLE for \\fB\\-\\-table\\fR, "
         "STRATA_ROUTINES_DIR for \\fB\\-\\-routines\\fR, STRATA_SCHEMA_FILE for the schema file); "
         "the command line wins. A command's \\fB\\-\\-help\\fR lists its variables.\n"
      << ".TP\n.B .env\nThe strata tool reads KEY=VALUE lines from .env in the working folder; "
         "variables already set win.\n"
      << ".TP\n.B NO_COLOR\nPlain ASCII status markers.\n"
      << ".SH EXIT STATUS\n"
      << ".TP\n0\nsuccess\n"
      << ".TP\n1\nfailure: SQL error, connection error, migrations that do not compile "
         "(and \\fBstatus \\-\\-exit\\-code\\fR with pending migrations)\n"
      << ".TP\n2\nusage or configuration error\n"
      << ".TP\n3\nrefused: drift, unknown or out-of-order versions, a failed migration, no down "
         "SQL\n"
      << ".TP\n4\ntimed out waiting for the migration lock\n";
  return out.str();
}

}  // namespace strata::cli
