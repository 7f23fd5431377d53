// The schema fingerprint of `replay` (see fingerprint.hpp): the catalog query that describes the
// objects, and the event triggers that say which ones a step touched.
#include "fingerprint.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "pq/connection.hpp"

namespace strata::cli {
namespace {

// Records the ids of the objects every DDL command touches, and whether the command altered an
// existing object (anything but CREATE and DROP): only then may what depends on it read it
// differently (a view on a renamed column; see reads_differently()). A constraint, trigger,
// default or rule dropped on its own is recorded as its table too, whose description it was part
// of.
constexpr std::string_view k_install = R"sql(
CREATE SCHEMA IF NOT EXISTS strata_replay;
CREATE UNLOGGED TABLE IF NOT EXISTS strata_replay.touched (oid oid NOT NULL, altered bool NOT NULL);
CREATE OR REPLACE FUNCTION strata_replay.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO strata_replay.touched
    SELECT objid, command_tag NOT LIKE 'CREATE %' FROM pg_event_trigger_ddl_commands();
END $f$;
CREATE OR REPLACE FUNCTION strata_replay.on_drop() RETURNS event_trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO strata_replay.touched
    SELECT objid, false FROM pg_event_trigger_dropped_objects()
    UNION ALL
    SELECT to_regclass(quote_ident(address_names[1]) || '.' || quote_ident(address_names[2]))::oid,
        false
      FROM pg_event_trigger_dropped_objects()
     WHERE object_type IN ('table constraint', 'trigger', 'default value', 'rule', 'table column')
       AND cardinality(address_names) >= 2
       AND to_regclass(quote_ident(address_names[1]) || '.' || quote_ident(address_names[2]))
           IS NOT NULL;
END $f$;
DO $d$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'strata_replay_ddl') THEN
    CREATE EVENT TRIGGER strata_replay_ddl ON ddl_command_end
      EXECUTE FUNCTION strata_replay.on_ddl();
    CREATE EVENT TRIGGER strata_replay_drop ON sql_drop EXECUTE FUNCTION strata_replay.on_drop();
  END IF;
END $d$;
TRUNCATE strata_replay.touched)sql";

constexpr std::string_view k_uninstall =
    "DROP EVENT TRIGGER IF EXISTS strata_replay_ddl; DROP EVENT TRIGGER IF EXISTS "
    "strata_replay_drop; DROP SCHEMA IF EXISTS strata_replay CASCADE";

// What the DDL since the last call touched and what of it was altered, as oid arrays, and whether
// that includes a schema (a rename renames all it holds: everything is then described again).
constexpr std::string_view k_touched = R"sql(
WITH gone AS (DELETE FROM strata_replay.touched RETURNING oid, altered)
SELECT (SELECT coalesce(array_agg(DISTINCT oid), '{}') FROM gone)::text,
       (SELECT coalesce(array_agg(DISTINCT oid), '{}') FROM gone WHERE altered)::text,
       EXISTS (SELECT FROM pg_namespace WHERE oid IN (SELECT oid FROM gone)))sql";

// The objects $1 (what the DDL touched) stands for, widened to what a description names: a
// trigger, constraint, default or rule stands for its table, a composite type for its relation;
// a table brings its inheritance children and partitions at every level (a parent's columns are
// theirs: ALTER TABLE names only the parent), and each of these its indexes and the sequences it
// owns (serial, identity: moved with it by SET SCHEMA, which names only the table). Then every
// object that depends on one of $3 (a view on a
// table, a column of a type, a trigger calling a function, a foreign key referencing a table). Each
// step is an array looked up through the catalogs' indexes, so its cost follows what was touched,
// not the schema.
constexpr std::string_view k_widened = R"sql(
owner AS (SELECT ARRAY(
  SELECT unnest($1::oid[])
  UNION SELECT tgrelid FROM pg_trigger WHERE oid = ANY($1::oid[])
  UNION SELECT coalesce(nullif(conrelid, 0), contypid) FROM pg_constraint
    WHERE oid = ANY($1::oid[])
  UNION SELECT adrelid FROM pg_attrdef WHERE oid = ANY($1::oid[])
  UNION SELECT ev_class FROM pg_rewrite WHERE oid = ANY($1::oid[])
  UNION SELECT typrelid FROM pg_type WHERE oid = ANY($1::oid[]) AND typrelid <> 0) AS oids),
widened AS (SELECT ARRAY(
  SELECT unnest(oids) FROM owner
  UNION SELECT CASE d.classid
      WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid)
      WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_trigger WHERE oid = d.objid)
      WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)
      WHEN 'pg_constraint'::regclass THEN
        (SELECT coalesce(nullif(conrelid, 0), contypid) FROM pg_constraint WHERE oid = d.objid)
      ELSE d.objid END
    FROM pg_depend d
    WHERE d.refclassid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass,
                           'pg_constraint'::regclass)
      AND d.refobjid = ANY($3::oid[]) AND d.deptype = 'n') AS oids),
family AS (SELECT ARRAY(
  WITH RECURSIVE tree(oid) AS (
    SELECT unnest(oids) FROM widened
    UNION SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid)
  SELECT oid FROM tree) AS oids),
want AS (SELECT ARRAY(
  SELECT unnest(oids) FROM family
  UNION SELECT indexrelid FROM pg_index WHERE indrelid = ANY((SELECT oids FROM family)::oid[])
  UNION SELECT objid FROM pg_depend
    WHERE refclassid = 'pg_class'::regclass AND refobjid = ANY((SELECT oids FROM family)::oid[])
      AND classid = 'pg_class'::regclass AND deptype IN ('a', 'i')) AS oids),)sql";

// Every object of the user's schemas whose id is `= ANY(WANTED)` (see describe_statement()), as
// (id, kind, name, body, owning table). Extension members are the extension's (as pg_dump sees
// them); the history table $2, its indexes and sequences are the migrator's. Column order is not
// compared (a down that adds back a dropped column can only put it last), so columns are listed
// by name.
constexpr std::string_view k_describe = R"sql(
ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'strata_replay')
    AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'),
hist AS (SELECT to_regclass($2) AS oid)
SELECT n.oid, 'schema', quote_ident(n.nspname), '', 0::oid
  FROM ns n WHERE n.oid = ANY(WANTED)
UNION ALL
SELECT e.oid, 'extension', quote_ident(e.extname),
    'version ' || e.extversion || ' in ' || e.extnamespace::regnamespace::text, 0::oid
  FROM pg_extension e WHERE e.oid = ANY(WANTED)
UNION ALL
SELECT c.oid,
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
    WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
    WHEN 'c' THEN 'type' ELSE 'index' END,
  quote_ident(n.nspname) || '.' || quote_ident(c.relname),
  CASE
  WHEN c.relkind IN ('v', 'm') THEN 'definition ' || pg_get_viewdef(c.oid)
  WHEN c.relkind IN ('i', 'I') THEN pg_get_indexdef(c.oid)
  WHEN c.relkind = 'S' THEN (SELECT format_type(s.seqtypid, NULL) || ' start ' || s.seqstart
    || ' increment ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cache '
    || s.seqcache || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END
    FROM pg_sequence s WHERE s.seqrelid = c.oid)
  ELSE '' END
  || coalesce((SELECT string_agg(E'\ncolumn ' || quote_ident(a.attname) || ' '
       || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
       || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END, '' ORDER BY a.attname)
     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       AND c.relkind NOT IN ('i', 'I', 'S')), '')
  || coalesce((SELECT string_agg(E'\nconstraint ' || quote_ident(k.conname) || ' '
       || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
     FROM pg_constraint k WHERE k.conrelid = c.oid), '')
  || coalesce((SELECT string_agg(E'\ntrigger ' || pg_get_triggerdef(t.oid), '' ORDER BY t.tgname)
     FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal), ''),
  coalesce((SELECT x.indrelid FROM pg_index x WHERE x.indexrelid = c.oid), 0::oid)
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace, hist
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c', 'i', 'I') AND c.oid = ANY(WANTED)
    AND NOT EXISTS (SELECT FROM pg_depend x
      WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
    AND (hist.oid IS NULL OR (c.oid <> hist.oid
      AND NOT EXISTS (SELECT FROM pg_index x WHERE x.indexrelid = c.oid AND x.indrelid = hist.oid)
      AND NOT EXISTS (SELECT FROM pg_depend h  -- by pg_depend_depender_index, not a scan
        WHERE h.classid = 'pg_class'::regclass AND h.objid = c.oid AND h.refobjid = hist.oid)))
UNION ALL
SELECT p.oid, 'function', quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
    || pg_get_function_identity_arguments(p.oid) || ')',
  p.prokind::text || ' ' || l.lanname || ' returns ' || coalesce(pg_get_function_result(p.oid), '')
  || ' ' || p.provolatile::text || CASE WHEN p.proisstrict THEN ' strict' ELSE '' END
  || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END
  || coalesce(' set ' || array_to_string(p.proconfig, ','), '')
  || E'\narguments ' || pg_get_function_arguments(p.oid) || E'\nbody ' || p.prosrc, 0::oid
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
  WHERE p.oid = ANY(WANTED) AND NOT EXISTS (SELECT FROM pg_depend x
    WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'e')
UNION ALL
SELECT t.oid, 'type', quote_ident(n.nspname) || '.' || quote_ident(t.typname),
  CASE t.typtype
  WHEN 'e' THEN 'enum ' || coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', '
      ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
  WHEN 'd' THEN 'domain ' || format_type(t.typbasetype, t.typtypmod)
    || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
    || coalesce(' default ' || t.typdefault, '')
    || coalesce((SELECT string_agg(E'\nconstraint ' || quote_ident(k.conname) || ' '
      || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
      FROM pg_constraint k WHERE k.contypid = t.oid), '')
  ELSE 'range of ' || coalesce((SELECT format_type(r.rngsubtype, NULL) FROM pg_range r
    WHERE r.rngtypid = t.oid), '') END, 0::oid
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r') AND t.oid = ANY(WANTED)
    AND NOT EXISTS (SELECT FROM pg_depend x
      WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e'))sql";

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The description of every object (`touched` false: WANTED matches any id) or of what the oids
// $1 stand for (k_widened), looked up by the catalogs' oid indexes instead of filtering the schema.
std::string describe_statement(bool touched) {
  std::string statement{k_describe};
  if (!touched) {
    replace_all(statement, "= ANY(WANTED)", "IS NOT NULL");
    return "WITH" + statement;
  }
  replace_all(statement, "WANTED", "(SELECT oids FROM want)::oid[]");
  return "WITH" + std::string{k_widened} + statement;
}

std::uint32_t to_oid(std::string_view text) {
  std::uint32_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// "{1,2,3}" → {1, 2, 3}.
std::vector<std::uint32_t> parse_oids(std::string_view array) {
  std::vector<std::uint32_t> oids;
  if (array.size() < 2)
    return oids;
  array = array.substr(1, array.size() - 2);
  while (!array.empty()) {
    const std::size_t comma = array.find(',');
    oids.push_back(to_oid(array.substr(0, comma)));
    array.remove_prefix(comma == std::string_view::npos ? array.size() : comma + 1);
  }
  return oids;
}

}  // namespace

SchemaFingerprint::SchemaFingerprint(pq::Connection& connection, std::string history_table)
    : m_connection(connection), m_history_table(std::move(history_table)) {
  // The planner overestimates the catalog queries (correlated subplans over pg_depend) past
  // jit_above_cost: compiling them took 45 ms of a 50 ms query, run three times per migration.
  static_cast<void>(m_connection.exec("SET jit = off"));
  try {
    static_cast<void>(m_connection.exec(k_install));
  } catch (const SqlError& error) {
    if (error.sqlstate() != "42501")  // insufficient_privilege: not a superuser
      throw;
    m_tracking = false;  // the install ran in one implicit transaction: nothing is left of it
  }
  // Prepared once, not planned three times per migration, and planned generically: a custom plan
  // for each oid array cost more to make (1-4 ms) than the description it was made for.
  static_cast<void>(m_connection.exec("SET plan_cache_mode = force_generic_plan"));
  static_cast<void>(m_connection.exec("PREPARE strata_replay_describe_all(oid[], text) AS " +
                                      describe_statement(false)));
  static_cast<void>(m_connection.exec(
      "PREPARE strata_replay_describe_touched(oid[], text, oid[]) AS " + describe_statement(true)));
  if (m_tracking) {
    static_cast<void>(
        m_connection.exec("PREPARE strata_replay_touched AS " + std::string{k_touched}));
  }
  m_objects = describe_all();
}

void SchemaFingerprint::uninstall(pq::Connection& connection) {
  static_cast<void>(connection.exec(k_uninstall));
}

SchemaFingerprint::Objects SchemaFingerprint::describe(const std::string& statement) {
  const pq::Result rows = m_connection.exec(statement);
  Objects objects;
  for (int row = 0; row < rows.rows(); ++row) {
    objects.emplace(to_oid(rows.text(row, 0)),
                    SchemaObject{std::string{rows.text(row, 1)}, std::string{rows.text(row, 2)},
                                 without_frozen_times(std::string{rows.text(row, 3)}),
                                 to_oid(rows.text(row, 4))});
  }
  return objects;
}

SchemaFingerprint::Objects SchemaFingerprint::describe_all() {
  return describe("EXECUTE strata_replay_describe_all(NULL, " +
                  m_connection.quote_literal(m_history_table) + ")");
}

SchemaFingerprint::Objects SchemaFingerprint::describe_touched(std::string_view touched,
                                                               std::string_view dependents_of) {
  return describe("EXECUTE strata_replay_describe_touched(" + m_connection.quote_literal(touched) +
                  ", " + m_connection.quote_literal(m_history_table) + ", " +
                  m_connection.quote_literal(dependents_of) + ")");
}

void SchemaFingerprint::merge(const Objects& described, std::vector<std::uint32_t> touched) {
  // What the touched ids stand for (their tables, dependents, indexes) is what was described.
  for (const auto& [oid, object] : described)
    touched.push_back(oid);
  // A table rewrite (ALTER COLUMN … TYPE) rebuilds its indexes under new ids without a drop
  // event: a touched table's indexes are all described again, so its old ones go first.
  std::vector<std::uint32_t> sorted = touched;
  std::sort(sorted.begin(), sorted.end());
  std::erase_if(m_objects, [&](const auto& entry) {
    if (entry.second.owner == 0 ||
        !std::binary_search(sorted.begin(), sorted.end(), entry.second.owner)) {
      return false;
    }
    m_touched.push_back(entry.first);
    return true;
  });
  for (const std::uint32_t oid : touched) {
    if (const auto found = described.find(oid); found != described.end())
      m_objects.insert_or_assign(oid, found->second);
    else
      m_objects.erase(oid);
    m_touched.push_back(oid);
  }
}

void SchemaFingerprint::refresh() {
  if (!m_tracking) {
    refresh_all();
    return;
  }
  const pq::Result touched = m_connection.exec("EXECUTE strata_replay_touched");
  if (touched.text(0, 2) == "t") {
    refresh_all();
    return;
  }
  const std::string array{touched.text(0, 0)};
  if (array == "{}")
    return;
  const Objects described = describe_touched(array, "{}");
  // Only now is it known which altered objects read differently to what depends on them. An
  // altered id no description covers (an operator, a collation, a constraint, a composite type,
  // described as its relation) has its dependents described blindly.
  std::string dependents_of;
  for (const std::uint32_t oid : parse_oids(touched.text(0, 1))) {
    const auto now = described.find(oid);
    const auto was = m_objects.find(oid);
    const bool covered = now != described.end() || was != m_objects.end();
    const bool reads_again = now != described.end() && was != m_objects.end() &&
                             reads_differently(was->second, now->second);
    if (reads_again || !covered)
      dependents_of += (dependents_of.empty() ? "" : ",") + std::to_string(oid);
  }
  merge(described, parse_oids(array));
  if (!dependents_of.empty())
    merge(describe_touched("{}", "{" + dependents_of + "}"), {});
}

void SchemaFingerprint::refresh_all() {
  if (m_tracking)
    static_cast<void>(m_connection.exec("TRUNCATE strata_replay.touched"));
  m_objects = describe_all();
  m_all_touched = true;
}

std::vector<SchemaObject> SchemaFingerprint::objects() const {
  std::vector<SchemaObject> all;
  all.reserve(m_objects.size());
  for (const auto& [oid, object] : m_objects)
    all.push_back(object);
  return all;
}

void SchemaFingerprint::begin_proof() {
  m_before = m_objects;
  m_touched.clear();
  m_all_touched = false;
}

SchemaDifferences SchemaFingerprint::differences() const {
  std::vector<SchemaObject> before;
  std::vector<SchemaObject> after;
  const auto collect = [&](const Objects& from, std::vector<SchemaObject>& to) {
    if (m_all_touched) {
      for (const auto& [oid, object] : from)
        to.push_back(object);
      return;
    }
    std::vector<std::uint32_t> keys = m_touched;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const std::uint32_t oid : keys) {
      if (const auto found = from.find(oid); found != from.end())
        to.push_back(found->second);
    }
  };
  collect(m_before, before);
  collect(m_objects, after);
  return compare_objects(std::move(before), std::move(after));
}

SchemaDifferences SchemaFingerprint::untracked() {
  std::vector<SchemaObject> tracked;
  std::vector<SchemaObject> actual;
  for (const auto& [oid, object] : m_objects)
    tracked.push_back(object);
  for (const auto& [oid, object] : describe_all())
    actual.push_back(object);
  return compare_objects(std::move(tracked), std::move(actual));
}

}  // namespace strata::cli
