// Sending sections: one round trip per transactional section, one per statement otherwise.
#include "executor.hpp"

#include <limits>

#include "source_map.hpp"

namespace strata::detail {
namespace {

// Opens a transactional migration's script; error positions are mapped past it.
constexpr std::string_view begin_line = "BEGIN;\n";

// No statement of the section opened the transaction the session is in.
constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

std::string describe(const Target& target) {
  const std::string what = target.kind == MigrationKind::routine
                               ? "routine " + target.name
                               : "migration " + target.version + " (" + target.name + ")";
  return target.rollback ? "rollback of " + what : what;
}

std::string setting(std::string_view name, std::chrono::milliseconds value, bool local) {
  return std::string{local ? "SET LOCAL " : "SET "} + std::string{name} + " = '" +
         std::to_string(value.count()) + "ms';\n";
}

}  // namespace

std::string Executor::local_settings() const {
  std::string out;
  if (m_options.statement_lock_timeout) {
    out += setting("lock_timeout", *m_options.statement_lock_timeout, true);
  }
  if (m_options.statement_timeout) {
    out += setting("statement_timeout", *m_options.statement_timeout, true);
  }
  return out;
}

std::string Executor::session_settings() const {
  std::string out;
  if (m_options.statement_lock_timeout) {
    out += setting("lock_timeout", *m_options.statement_lock_timeout, false);
  }
  if (m_options.statement_timeout) {
    out += setting("statement_timeout", *m_options.statement_timeout, false);
  }
  return out;
}

std::string Executor::session_reset() const {
  std::string out;
  if (m_options.statement_lock_timeout)
    out += "RESET lock_timeout;\n";
  if (m_options.statement_timeout)
    out += "RESET statement_timeout;\n";
  return out;
}

RoundTrip Executor::transaction(const Section& section, std::string_view bookkeeping) const {
  RoundTrip trip;
  trip.kind = RoundTrip::Kind::transaction;
  trip.sql = std::string{begin_line} + local_settings();
  trip.section_begin = trip.sql.size();
  trip.statements_before =
      1 + (m_options.statement_lock_timeout ? 1U : 0U) + (m_options.statement_timeout ? 1U : 0U);
  // "\n;\n" after the user's SQL ends a last statement that has no semicolon, or a trailing
  // comment line, without changing its meaning; an empty statement produces no result.
  trip.sql.reserve(trip.sql.size() + section.sql.size() + bookkeeping.size() + 16);
  trip.sql += section.sql;
  trip.sql += "\n;\n";
  trip.sql += bookkeeping;
  trip.sql += ";\nCOMMIT;";
  return trip;
}

std::vector<std::string_view> Executor::statements(const Section& section) {
  std::vector<std::string_view> out;
  for (const Statement& statement : section.statements) {
    out.push_back(section.sql.substr(statement.offset, statement.length));
  }
  if (out.empty() && !section.sql.empty())
    out.push_back(section.sql);
  return out;
}

void Executor::run(const SectionScript& script) {
  std::size_t statements_left = 0;
  for (const RoundTrip& trip : script.round_trips)
    statements_left += trip.kind == RoundTrip::Kind::statement ? 1 : 0;
  // The statement that opened the transaction the session is in, if one of the section did
  // (a sentinel, not std::optional: GCC 12 -O2 warns falsely about an optional<size_t> here).
  std::size_t opened_at = none;
  for (const RoundTrip& trip : script.round_trips) {
    switch (trip.kind) {
      case RoundTrip::Kind::write:
        (void)m_conn.exec(trip.sql);
        break;
      case RoundTrip::Kind::transaction:
        send_transaction(script, trip);
        break;
      case RoundTrip::Kind::statement:
        send_statement(script, trip, opened_at);
        if (--statements_left == 0 && opened_at != none)
          fail_unclosed(script, opened_at);
        break;
    }
  }
}

void Executor::send_transaction(const SectionScript& script, const RoundTrip& trip) {
  pq::Connection::ScriptOutcome outcome = m_conn.exec_script(trip.sql);
  if (!outcome.error)
    return;
  if (m_conn.usable() && m_conn.in_transaction())
    (void)m_conn.exec("ROLLBACK");
  const Section& section = script.section;
  std::optional<std::size_t> index;
  if (outcome.completed >= trip.statements_before &&
      outcome.completed - trip.statements_before < section.statements.size()) {
    index = outcome.completed - trip.statements_before;
  }
  throw locate_error(*outcome.error, section, script.target, trip.sql,
                     Piece{trip.section_begin, 0, section.sql.size()}, index);
}

void Executor::send_statement(const SectionScript& script, const RoundTrip& trip,
                              std::size_t& opened_at) {
  const pq::Connection::ScriptOutcome outcome = m_conn.exec_script(trip.sql);
  if (outcome.error) {
    SqlError error = locate_statement(*outcome.error, script, trip.sql, trip.statement);
    if (m_conn.usable() && m_conn.in_transaction())
      (void)m_conn.exec("ROLLBACK");
    // The rollback also undid the statements since the section's own BEGIN.
    if (m_conn.usable())
      record_failure(script, static_cast<int>(opened_at == none ? trip.statement : opened_at),
                     error);
    throw error;
  }
  if (!m_conn.in_transaction())
    opened_at = none;
  else if (opened_at == none)
    opened_at = trip.statement;
}

void Executor::fail_unclosed(const SectionScript& script, std::size_t opened_at) {
  // Left open, the transaction would swallow the history writes that follow and vanish at
  // disconnect: "applied" reported, nothing kept. It is a failure instead.
  (void)m_conn.exec("ROLLBACK");
  const std::vector<std::string_view> texts = statements(script.section);
  SqlError::Fields fields;
  fields.message =
      "BEGIN without COMMIT: the section ended inside the transaction this "
      "statement opened; strata rolled it back (statements " +
      std::to_string(opened_at + 1) + " to " + std::to_string(texts.size()) +
      " undone) and recorded it as failed";
  SqlError error =
      locate_statement(SqlError{fields.message, fields}, script, texts[opened_at], opened_at);
  record_failure(script, static_cast<int>(opened_at), error);
  throw error;
}

void Executor::record_failure(const SectionScript& script, int done, const SqlError& error) {
  if (script.failure_sql)
    (void)m_conn.exec(script.failure_sql(done, error));
}

SqlError Executor::locate_statement(const SqlError& raw, const SectionScript& script,
                                    std::string_view sent, std::size_t statement) {
  // The whole SQL when the section lists no statements.
  const Section& section = script.section;
  const bool listed = !section.statements.empty();
  return locate_error(
      raw, section, script.target, sent,
      Piece{0, listed ? std::size_t{section.statements[statement].offset} : 0, sent.size()},
      listed ? std::optional<std::size_t>{statement} : std::nullopt);
}

SqlError Executor::locate_error(const SqlError& raw, const Section& section, const Target& target,
                                std::string_view sent, Piece piece,
                                std::optional<std::size_t> index) {
  SqlError::Fields fields = raw.fields();
  std::optional<std::size_t> byte;
  if (fields.position > 0) {
    const std::size_t in_sent = byte_offset_of(sent, fields.position - 1);
    if (in_sent >= piece.begin && in_sent < piece.begin + piece.length) {
      byte = piece.offset + (in_sent - piece.begin);
      if (const auto at = statement_at(section, *byte))
        index = at;
    }
  }
  if (!byte && index)
    byte = statement_start(section, *index);

  fields.version = target.version;
  fields.migration_name = target.name;
  fields.position = 0;
  if (index) {
    const Statement& statement = section.statements[*index];
    fields.statement = std::string{section.sql.substr(statement.offset, statement.length)};
    if (byte && *byte >= statement.offset && raw.fields().position > 0) {
      fields.position = static_cast<std::uint32_t>(
          utf8_length(section.sql.substr(statement.offset, *byte - statement.offset)) + 1);
    }
  } else {
    fields.statement = std::string{section.sql};
    if (byte && raw.fields().position > 0) {
      fields.position = static_cast<std::uint32_t>(utf8_length(section.sql.substr(0, *byte)) + 1);
    }
  }
  if (byte) {
    fields.source = locate(section, *byte);
  } else {
    fields.source.path = std::string{section.path};
  }
  std::string where;
  if (!fields.source.path.empty()) {
    where = fields.source.path;
    if (fields.source.line > 0) {
      // Appended piece by piece: GCC 12 at -O2 flags `":" + std::to_string(...)` (-Wrestrict).
      where.append(":").append(std::to_string(fields.source.line));
      where.append(":").append(std::to_string(fields.source.column));
    }
    where += ": ";
  }
  std::string what = where + describe(target) + ": " +
                     (fields.sqlstate.empty() ? "" : fields.sqlstate + ": ") + fields.message;
  if (!fields.hint.empty())
    what += " (hint: " + fields.hint + ")";
  return SqlError{what, std::move(fields)};
}

}  // namespace strata::detail
