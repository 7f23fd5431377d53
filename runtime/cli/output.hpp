// Where the CLI's words go: data on stdout (even with --quiet), progress on stdout (not with
// --quiet or --json), notes on stderr (--verbose), errors on stderr as one line. Every piece of
// text passes through scrub() first, so a password can only reach the output as `***`.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <strata/migrator.hpp>

namespace strata::cli {

// Whether stdout is a terminal that may show emoji: a tty, and NO_COLOR unset or empty.
[[nodiscard]] bool stdout_is_fancy() noexcept;

// "12ms", "1.5s", "2m 3s".
[[nodiscard]] std::string format_duration(std::chrono::milliseconds duration);

class Output {
 public:
  Output(std::ostream& out, std::ostream& err, std::string program,
         std::vector<std::string> secrets);

  void set_verbosity(bool verbose, bool quiet, bool json) noexcept;
  void set_fancy(bool fancy) noexcept { m_fancy = fancy; }
  [[nodiscard]] bool fancy() const noexcept { return m_fancy; }
  [[nodiscard]] bool quiet() const noexcept { return m_quiet; }
  [[nodiscard]] bool verbose() const noexcept { return m_verbose; }

  // `text` with every known secret replaced by ***.
  [[nodiscard]] std::string scrub(std::string_view text) const;

  // What the user asked for (status lines, JSON, SQL), printed as given: it is built from the
  // migrations and the history table, never from the connection string.
  void data(std::string_view text);
  // A progress line on stdout; silent with --quiet or --json.
  void progress(std::string_view line);
  // A note on stderr, only with --verbose.
  void note(std::string_view line);
  // A warning on stderr (lock waits, server notices); silent with --quiet.
  void warn(std::string_view line);
  // A compiler-style line on stderr, as given (`file:line:col: error: …`), even with --quiet: a
  // build log must show it.
  void diagnostic(std::string_view line);
  // `<program>: error: <message>` on stderr, newlines in `message` folded into one line; then
  // each of `extra` (detail, hint) on its own indented line.
  void error(std::string_view message, const std::vector<std::string>& extra = {});

  // Prints a migrator event: one line per finished migration, `verb` saying what was done
  // ("Applied", "Rolled back"); lock waits and notices as warnings; starts as notes, in the
  // present tense ("Applying", "Rolling back").
  void event(const Event& event, std::string_view verb);
  // How many migrations and routines event() has seen finish.
  [[nodiscard]] std::size_t finished_steps() const noexcept { return m_finished_steps; }

 private:
  std::ostream& m_out;
  std::ostream& m_err;
  std::string m_program;
  std::vector<std::string> m_secrets;
  bool m_fancy = false;
  bool m_verbose = false;
  bool m_quiet = false;
  bool m_json = false;
  std::size_t m_finished_steps = 0;
};

// "20240101000000_create_users", or "insert_user" for a routine; control characters and bytes
// that are not UTF-8 escaped as \xHH (detail::printable).
[[nodiscard]] std::string display_name(MigrationKind kind, std::string_view version,
                                       std::string_view name);

}  // namespace strata::cli
