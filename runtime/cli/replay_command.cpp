// `replay`: applies every migration to a scratch database exactly as `up` would (the real
// Migrator: the same transactions, non-transactional handling and routine pass), proves that each
// down restores the schema its up changed, and reports every failure compiler-style,
// `file:line:col: error: message [SQLSTATE]`, so that a build can fail on it.
//
// A verified prefix is kept as a template database named after the checksums of its migrations,
// so a rebuild after appending a migration clones the prefix (CREATE DATABASE … TEMPLATE) and
// proves only what is new.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <strata/migrator.hpp>

#include "commands.hpp"
#include "fingerprint.hpp"
#include "pq/connection.hpp"
#include "scratch_server.hpp"
#include "stable_hash.hpp"

namespace strata::cli {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view k_template_prefix = "strata_replay_t_";
constexpr int k_templates_kept = 16;  // per server; the oldest go first

// FNV-1a 64, chained over the fingerprint's format and each migration's checksum and down SQL: the
// name of the template that holds the schema after that prefix, proved.
class PrefixKey {
 public:
  void add(std::string_view text) noexcept { m_hash.add(text).separate(); }
  [[nodiscard]] std::string name() const { return std::string{k_template_prefix} + m_hash.hex(); }

 private:
  detail::StableHash m_hash;
};

std::string where(const SourcePosition& source) {
  if (source.path.empty())
    return {};
  return source.path + ":" + std::to_string(source.line) + ":" + std::to_string(source.column) +
         ": ";
}

class Replay {
 public:
  Replay(Context& context, const ScratchServer& server)
      : m_context(context), m_output(context.output()), m_server(server) {
    m_database = "strata_replay_" + std::to_string(::getpid()) + "_" +
                 std::to_string(Clock::now().time_since_epoch().count() % 1000000007);
  }
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;
  ~Replay() {
    try {
      close();
      pq::Connection admin{m_server.conninfo("postgres"), "strata replay"};
      static_cast<void>(
          admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(m_database)));
    } catch (...) {  // NOLINT(bugprone-empty-catch): a leftover scratch database is harmless
    }
  }

  int run();

 private:
  void open(const std::string& from_template);
  void close() noexcept {
    m_fingerprint.reset();
    m_hold.reset();
    m_migrator.reset();
    m_connection.reset();
  }
  [[nodiscard]] std::string conninfo() const { return m_server.conninfo(m_database); }
  // Gets back to the schema after the up of `version` when its down did not restore the one
  // before: applies the up again on top of what the down left, and keeps that when the whole
  // schema is then what the first up gave (`after_up`); otherwise starts afresh, a new database
  // migrated without proofs up to and including `version`.
  void recover_after(const std::string& version, const std::vector<SchemaObject>& after_up);
  void recreate_up_to(const std::string& version);
  void report(const SqlError& error, std::string_view doing);
  void report(const Migration& migration, std::string_view message);
  void keep_template(const std::vector<std::string>& keys);
  // Writes or checks the schema snapshot; returns false when --check-schema found it stale.
  bool snapshot();

  Context& m_context;
  Output& m_output;
  const ScratchServer& m_server;
  std::string m_database;
  std::optional<pq::Connection> m_connection;
  std::optional<SchemaFingerprint> m_fingerprint;
  std::optional<Migrator> m_migrator;
  // The scratch database is this replay's alone: one lock for all its up and down runs spares
  // each of them the lock's round trips.
  std::optional<Migrator::LockHold> m_hold;
  std::size_t m_errors = 0;
  bool m_said_untracked = false;
};

void Replay::open(const std::string& from_template) {
  {
    pq::Connection admin{m_server.conninfo("postgres"), "strata replay"};
    std::string create = "CREATE DATABASE " + admin.quote_identifier(m_database);
    if (!from_template.empty())
      create += " TEMPLATE " + admin.quote_identifier(from_template);
    static_cast<void>(admin.exec(create));
  }
  m_connection.emplace(conninfo(), "strata replay");
  m_connection->on_notice({});
  m_fingerprint.emplace(*m_connection, m_context.invocation().table);
  if (!m_fingerprint->tracking() && !std::exchange(m_said_untracked, true)) {
    m_output.note(
        "the scratch role may not create event triggers (only a superuser may): every "
        "step describes the whole schema, which is slower");
  }
  MigratorOptions options = m_context.migrator_options();
  options.on_event = [this](const Event& event) {
    if (event.type == Event::Type::notice)
      m_output.note("notice: " + event.message);
  };
  m_migrator.emplace(conninfo(), m_context.set(), std::move(options));
  m_hold.emplace(m_migrator->hold_lock());
}

void Replay::recover_after(const std::string& version, const std::vector<SchemaObject>& after_up) {
  // Re-applying costs one migration; starting afresh costs every migration before it, which made
  // the proof failures of a real 247-migration set most of its replay time.
  try {
    static_cast<void>(m_migrator->up(version));
    m_fingerprint->refresh_all();  // a full description: the check must not trust the tracking
    if (compare_objects(after_up, m_fingerprint->objects()).empty()) {
      m_output.note("replay: " + version + " applied again on top of what its down left gives " +
                    "the same schema: going on from there");
      return;
    }
  } catch (const SqlError&) {  // NOLINT(bugprone-empty-catch): the up does not apply on top of
  }                            // what the down left: start afresh
  m_output.note("replay: going on from a new database migrated up to " + version);
  recreate_up_to(version);
}

void Replay::recreate_up_to(const std::string& version) {
  close();
  {
    pq::Connection admin{m_server.conninfo("postgres"), "strata replay"};
    static_cast<void>(admin.exec("DROP DATABASE " + admin.quote_identifier(m_database)));
  }
  open({});
  static_cast<void>(m_migrator->up(version));
  m_fingerprint->refresh_all();
}

void Replay::report(const SqlError& error, std::string_view doing) {
  ++m_errors;
  const SqlError::Fields& fields = error.fields();
  std::string line = where(fields.source) + "error: " + std::string{doing};
  line += fields.source.path.empty() ? std::string{error.what()} : fields.message;
  if (!fields.sqlstate.empty())
    line += " [" + fields.sqlstate + "]";
  m_output.diagnostic(line);
  if (!fields.detail.empty())
    m_output.diagnostic("  detail: " + fields.detail);
  if (!fields.hint.empty())
    m_output.diagnostic("  hint: " + fields.hint);
}

void Replay::report(const Migration& migration, std::string_view message) {
  ++m_errors;
  m_output.diagnostic(
      migration.down.path.empty()
          ? "error: " + file_label(migration) + ": " + std::string{message}
          : std::string{migration.down.path} + ":" + std::to_string(migration.down.first_line) +
                ":1: error: " + file_label(migration) + ": " + std::string{message});
}

int Replay::run() {
  const auto began = Clock::now();
  const MigrationSet& set = m_context.set();
  std::vector<std::size_t> positions;  // of the versioned migrations, in order
  std::vector<std::string> keys;       // the template name of each prefix
  PrefixKey key;
  key.add(m_context.invocation().table);
  key.add(SchemaFingerprint::format);  // a template proved by another fingerprint proves nothing
  for (std::size_t i = 0; i < set.size(); ++i) {
    const Migration migration = set[i];
    if (migration.kind != MigrationKind::migration)
      continue;
    key.add(migration.checksum);
    key.add(migration.down.present() ? migration.down.sql : "\x01");
    positions.push_back(i);
    keys.push_back(key.name());
  }
  // The longest prefix already proved on this server.
  std::size_t verified = 0;
  std::string from_template;
  {
    pq::Connection admin{m_server.conninfo("postgres"), "strata replay"};
    const pq::Result found = admin.exec("SELECT datname FROM pg_database WHERE datname LIKE '" +
                                        std::string{k_template_prefix} + "%'");
    for (int row = 0; row < found.rows(); ++row) {
      for (std::size_t n = keys.size(); n > verified; --n) {
        if (keys[n - 1] == found.text(row, 0)) {
          verified = n;
          from_template = keys[n - 1];
        }
      }
    }
  }
  open(from_template);

  std::size_t proved = 0;
  std::size_t irreversible = 0;
  bool stopped = false;  // by an error after which nothing can be applied
  for (std::size_t n = verified; n < positions.size() && !stopped; ++n) {
    const std::string version{set[positions[n]].version};
    m_fingerprint->begin_proof();
    try {
      static_cast<void>(m_migrator->up(version));
    } catch (const SqlError& error) {
      report(error, "");
      stopped = true;
      break;
    }
    m_fingerprint->refresh();
    const Migration migration = set[positions[n]];  // checked now: read it again
    if (!migration.down.present()) {
      ++irreversible;
      m_output.diagnostic(std::string{migration.up.path} + ":1:1: note: " + file_label(migration) +
                          ": irreversible (no down SQL)");
      continue;
    }
    const std::vector<SchemaObject> after_up = m_fingerprint->objects();
    try {
      static_cast<void>(m_migrator->down(1));
    } catch (const SqlError& error) {
      report(error, file_label(migration) + ": the down fails: ");
      stopped = !migration.down
                     .in_transaction;  // part of it took effect: nothing after it can be trusted
      continue;                        // its transaction rolled back: the up stays applied
    }
    m_fingerprint->refresh();
    const SchemaDifferences differences = m_fingerprint->differences();
    for (const std::string& difference : differences)
      report(migration, difference);
    if (!differences.empty()) {
      recover_after(version, after_up);
      continue;
    }
    try {
      static_cast<void>(m_migrator->up(version));
    } catch (const SqlError& error) {
      report(error, file_label(migration) + ": applying it again after its down fails: ");
      stopped = true;
      break;
    }
    m_fingerprint->refresh();
    ++proved;
  }
  std::size_t routines = 0;
  if (!stopped) {
    try {
      for (const RunReport::Step& step : m_migrator->up().steps)
        routines += step.kind == MigrationKind::routine ? 1 : 0;
    } catch (const SqlError& error) {
      report(error, "");
    }
  }
  if (m_errors == 0 && m_output.verbose()) {
    for (const std::string& missed : m_fingerprint->untracked())
      m_output.note("the fingerprint's tracking missed a change: " + missed);
  }
  m_output.note("replayed " + std::to_string(positions.size() - verified) + " of " +
                std::to_string(positions.size()) + " migrations (" + std::to_string(verified) +
                " from a verified template)");
  if (m_errors != 0) {
    m_output.error("replay: " + std::to_string(m_errors) + (m_errors == 1 ? " error" : " errors") +
                   " in the migrations (above)");
    return exit_failure;
  }
  const bool snapshot_current = snapshot();
  if (positions.size() > verified)
    keep_template(keys);
  m_output.progress(
      "Replayed " + std::to_string(positions.size()) + " migrations" +
      (routines != 0 ? " and " + std::to_string(routines) + " routines" : "") + ": " +
      std::to_string(proved) + " proved reversible, " + std::to_string(irreversible) +
      " irreversible, " + std::to_string(verified) + " proved before; in " +
      format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began)));
  return snapshot_current ? exit_ok : exit_failure;
}

// Keeps the scratch database, the schema after the whole set, as a template by renaming it, not
// copying it (a clone gets the event triggers again when it is opened); drops the templates of its
// shorter prefixes, and keeps at most k_templates_kept.
void Replay::keep_template(const std::vector<std::string>& keys) {
  close();
  try {
    pq::Connection admin{m_server.conninfo("postgres"), "strata replay"};
    static_cast<void>(admin.exec("ALTER DATABASE " + admin.quote_identifier(m_database) +
                                 " RENAME TO " + admin.quote_identifier(keys.back())));
    const pq::Result old = admin.exec_params(
        "SELECT datname FROM pg_database WHERE datname LIKE $1 || '%' AND datname <> $2 "
        "ORDER BY oid DESC",
        {std::string{k_template_prefix}, keys.back()});
    int kept = 1;
    for (int row = 0; row < old.rows(); ++row) {
      const std::string name{old.text(row, 0)};
      const bool ancestor = std::find(keys.begin(), keys.end(), name) != keys.end();
      if (ancestor || ++kept > k_templates_kept)
        static_cast<void>(admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(name)));
    }
  } catch (const SqlError& error) {
    // Another replay of the same set made it first, or is cloning an old one: only a cache.
    m_output.note("replay: the template was not kept: " + std::string{error.what()});
  }
}

bool Replay::snapshot() {
  const Invocation& invocation = m_context.invocation();
  if (!invocation.write_schema && !invocation.check_schema)
    return true;
  close();
  {
    pq::Connection connection{conninfo(), "strata replay"};
    SchemaFingerprint::uninstall(connection);
  }
  const std::string text = schema_snapshot(m_context, conninfo());
  if (invocation.write_schema) {
    write_text_file(*invocation.write_schema, text);
    m_output.progress("Wrote the schema to " + *invocation.write_schema);
  }
  return !invocation.check_schema ||
         check_schema_snapshot(m_context, *invocation.check_schema, text);
}

}  // namespace

int replay_command(Context& context) {
  const Invocation& invocation = context.invocation();
  std::optional<ScratchServer> server;
  if (invocation.scratch_url) {
    server.emplace(*invocation.scratch_url);
  } else {
    server.emplace(
        invocation.scratch_dir ? fs::path{*invocation.scratch_dir} : default_scratch_folder(),
        context.output());
  }
  Replay replay{context, *server};
  return replay.run();
}

}  // namespace strata::cli
