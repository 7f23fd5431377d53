// How `replay` compares the descriptions of schema objects: in words for the user, and whether a
// change reaches what depends on the object.
#include "schema_objects.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using strata::cli::compare_objects;
using strata::cli::reads_differently;
using strata::cli::SchemaObject;
using strata::cli::without_frozen_times;

namespace {
SchemaObject table(std::string name, std::string body) {
  return SchemaObject{"table", std::move(name), std::move(body), 0};
}
}  // namespace

TEST_CASE(
    "A down's differences name what it leaves, what it does not restore, and the first "
    "differing line",
    "[replay]") {
  const std::vector<SchemaObject> before{table("public.a", "\ncolumn id integer"),
                                         table("public.gone", "")};
  const std::vector<SchemaObject> after{table("public.a", "\ncolumn id bigint"),
                                        table("public.b_log", "")};
  CHECK(compare_objects(before, after) ==
        std::vector<std::string>{
            "the down leaves table public.a different: it has `column id bigint` where it had "
            "`column id integer`",
            "the down leaves table public.b_log", "the down does not restore table public.gone"});
  CHECK(compare_objects(before, before).empty());
}

TEST_CASE(
    "What depends on an object reads it differently after a rename, not after an addition "
    "or a drop",
    "[replay]") {
  const SchemaObject person = table("public.person", "\ncolumn id integer\ncolumn name text");
  CHECK(reads_differently(person, table("public.people", person.body)));
  CHECK(reads_differently(person, table("public.person",
                                        "\ncolumn full_name text\ncolumn id "
                                        "integer")));
  CHECK_FALSE(reads_differently(
      person, table("public.person", person.body + "\ncolumn age integer\nconstraint c CHECK")));
  CHECK_FALSE(reads_differently(person, table("public.person", "\ncolumn id integer")));
  CHECK_FALSE(reads_differently(person, table("public.person",
                                              "\ncolumn id bigint\ncolumn name "
                                              "text")));
  // Quoted names are whole: these two differ after the space, so this is a rename.
  CHECK(reads_differently(table("public.q", "\ncolumn \"a \"\"b\"\" c\" integer"),
                          table("public.q", "\ncolumn \"a \"\"b\"\" d\" integer")));
  const SchemaObject mood{"type", "public.mood", "enum 'sad', 'ok'", 0};
  CHECK(reads_differently(mood, SchemaObject{"type", "public.mood", "enum 'sad', 'fine'", 0}));
}

TEST_CASE("A date or time folded into a definition compares equal to any other", "[replay]") {
  CHECK(
      without_frozen_times("WHERE at > '2026-11-30 15:29:29.1234'::timestamp without time zone") ==
      without_frozen_times("WHERE at > '2025-01-01 00:00:00'::timestamp without time zone"));
  CHECK(without_frozen_times("DEFAULT '2026-11-30'::date") ==
        without_frozen_times("DEFAULT '2001-02-03'::date"));
  CHECK(without_frozen_times("DEFAULT 'soon'::text") == "DEFAULT 'soon'::text");
}
