// The CLI's output channels and the one-line progress display of a running migration.
#include "output.hpp"

#include <cstdlib>
#include <ostream>
#include <unistd.h>

#include "utf8.hpp"

namespace strata::cli {
namespace {

// Folds a multi-line message (libpq's connection errors span lines) into one line.
std::string one_line(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space && c == ' ')
      continue;
    if (pending_space) {
      if (out.back() != ':' && out.back() != ';' && out.back() != '.')
        out += ';';
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

// The start line says what is under way, the finish line what was done: "Applying X ..." before
// X runs (and while it waits for a lock), "Applied X (12ms)" after.
std::string present_tense(std::string_view verb) {
  if (verb == "Applied")
    return "Applying";
  if (verb == "Rolled back")
    return "Rolling back";
  return std::string{verb};
}

}  // namespace

bool stdout_is_fancy() noexcept {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

std::string format_duration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000)
    return std::to_string(ms) + "ms";
  if (ms < 60'000) {
    return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + "s";
  }
  return std::to_string(ms / 60'000) + "m " + std::to_string((ms % 60'000) / 1000) + "s";
}

std::string display_name(MigrationKind kind, std::string_view version, std::string_view name) {
  // A name read from the history table was written by whoever wrote the row: print it escaped.
  if (kind == MigrationKind::routine || version.empty())
    return detail::printable(name);
  if (name.empty())
    return detail::printable(version);
  return detail::printable(version) + "_" + detail::printable(name);
}

Output::Output(std::ostream& out, std::ostream& err, std::string program,
               std::vector<std::string> secrets)
    : m_out(out), m_err(err), m_program(std::move(program)), m_secrets(std::move(secrets)) {}

void Output::set_verbosity(bool verbose, bool quiet, bool json) noexcept {
  m_verbose = verbose;
  m_quiet = quiet;
  m_json = json;
}

std::string Output::scrub(std::string_view text) const {
  std::string out{text};
  for (const std::string& secret : m_secrets) {
    // Very short secrets would garble ordinary words; redaction of the strings covers them.
    if (secret.size() < 4)
      continue;
    for (std::size_t pos = out.find(secret); pos != std::string::npos;
         pos = out.find(secret, pos + 3)) {
      out.replace(pos, secret.size(), "***");
    }
  }
  return out;
}

// stdout carries what the user asked for (status, JSON, help), built from migration names and
// history rows, never from the connection string; it is not scrubbed, so a password that happens
// to be an ordinary word ("postgres") cannot garble a role name or break a JSON document.
void Output::data(std::string_view text) {
  m_out << text << std::flush;
}

void Output::progress(std::string_view line) {
  if (m_quiet || m_json)
    return;
  m_out << line << '\n' << std::flush;
}

void Output::note(std::string_view line) {
  if (!m_verbose)
    return;
  m_err << scrub(line) << '\n' << std::flush;
}

void Output::diagnostic(std::string_view line) {
  m_err << scrub(line) << '\n' << std::flush;
}

void Output::warn(std::string_view line) {
  if (m_quiet)
    return;
  m_err << scrub(one_line(line)) << '\n' << std::flush;
}

void Output::error(std::string_view message, const std::vector<std::string>& extra) {
  m_err << scrub(m_program + ": error: " + one_line(message)) << '\n';
  for (const std::string& line : extra)
    m_err << scrub("  " + one_line(line)) << '\n';
  m_err << std::flush;
}

void Output::event(const Event& event, std::string_view verb) {
  std::string what = display_name(event.kind, event.version, event.name);
  if (event.kind == MigrationKind::routine) {
    what = "routine " + what + (event.revision > 0 ? "@" + std::to_string(event.revision) : "");
  }
  switch (event.type) {
    case Event::Type::lock_waiting:
      warn(event.message);  // it says what waits, and for whom
      break;
    case Event::Type::lock_acquired:
      note("migration lock acquired");
      break;
    case Event::Type::migration_started:
      note(present_tense(verb) + " " + what + " ...");
      break;
    case Event::Type::migration_finished:
      ++m_finished_steps;
      progress(std::string{m_fancy ? "  " : ""} + std::string{verb} + " " + what + " (" +
               format_duration(event.duration) + ")");
      break;
    case Event::Type::notice:
      warn((event.severity.empty() ? std::string{"NOTICE"} : event.severity) + ": " +
           event.message);
      break;
  }
}

}  // namespace strata::cli
