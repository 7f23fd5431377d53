// The schema fingerprint of `replay`'s reversibility proof: one catalog query that describes every
// object of the user's schemas (docs/cli.md lists what it covers), kept up to date cheaply.
//
// A full fingerprint of a few hundred tables costs tens of milliseconds, so taking one before and
// after every up and down would dominate a replay. Instead an event trigger on the scratch
// database records the objects each DDL command touches (ddl_command_end, sql_drop), and after
// each step only those objects, and the ones that depend on them, are described again.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "schema_objects.hpp"

namespace strata::pq {
class Connection;
}

namespace strata::cli {

class SchemaFingerprint {
 public:
  // Changes whenever what a fingerprint covers or how it is tracked changes: a kept template
  // (which carries the tracking's event triggers and table) is only reused by the same format.
  static constexpr std::string_view format = "fingerprint 2";

  // Installs the event triggers that record touched objects (in the schema `strata_replay`, which
  // the fingerprint ignores) unless present, and describes the whole schema. `history_table` (as
  // the user names it) is left out: the migrator creates it. A role that may not create event
  // triggers (only superusers may) gets no tracking: every refresh() describes the whole schema.
  // Throws SqlError.
  SchemaFingerprint(pq::Connection& connection, std::string history_table);

  // Whether the event triggers record what each step touched (false: full descriptions).
  [[nodiscard]] bool tracking() const noexcept { return m_tracking; }

  // Describes again what the DDL since the last call touched (the whole schema when a schema was
  // renamed or created). Throws SqlError.
  void refresh();
  // Describes the whole schema again. Throws SqlError.
  void refresh_all();

  // Every object as last described, in no particular order: what an up left, to check later that
  // applying it again on top of a down that did not restore the schema gives the same schema.
  [[nodiscard]] std::vector<SchemaObject> objects() const;

  // Starts a proof: remembers the objects as they are now.
  void begin_proof();
  // The differences between now and begin_proof(), over the objects touched since. Empty when the
  // down restored the schema.
  [[nodiscard]] SchemaDifferences differences() const;
  // The differences between what refresh() tracked and a full description: empty unless the
  // tracking missed a change (for --verbose and the tests).
  [[nodiscard]] SchemaDifferences untracked();

  // Removes the event triggers and the schema `strata_replay` (before a schema snapshot). Throws
  // SqlError.
  static void uninstall(pq::Connection& connection);

 private:
  using Objects = std::map<std::uint32_t, SchemaObject>;  // by object id
  // The objects a description statement (an EXECUTE of a prepared one) returns.
  [[nodiscard]] Objects describe(const std::string& statement);
  [[nodiscard]] Objects describe_all();
  // What the `touched` ids stand for (their tables and indexes), and the objects that depend on
  // the `dependents_of` ids (oid arrays, "{1,2}").
  [[nodiscard]] Objects describe_touched(std::string_view touched, std::string_view dependents_of);
  // Replaces the descriptions of the touched ids and of everything described.
  void merge(const Objects& described, std::vector<std::uint32_t> touched);

  pq::Connection& m_connection;
  std::string m_history_table;
  Objects m_objects;
  Objects m_before;
  std::vector<std::uint32_t> m_touched;  // since begin_proof()
  bool m_all_touched = false;
  bool m_tracking = true;
};

}  // namespace strata::cli
