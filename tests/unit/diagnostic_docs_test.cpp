// The registries against the reference: every diagnostic id and lint rule is documented, every id
// the reference names exists, and an id's letter says its severity.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "catalog/diagnostic_ids.hpp"
#include "check/lint/rules.hpp"

namespace {

using strata::generator::DiagnosticInfo;
using strata::generator::Severity;

std::string read_doc(const std::string& name) {
  std::ifstream in{std::string{STRATA_DOCS_DIR} + "/" + name, std::ios::binary};
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Whether `doc` has a table row whose first cell is the id: "| `strata-E201` |".
bool has_row(const std::string& doc, std::string_view id) {
  return doc.find("| `" + std::string{id} + "` |") != std::string::npos ||
         doc.find("| `" + std::string{id} + "` (") != std::string::npos;
}

}  // namespace

TEST_CASE("Every registered diagnostic id has a row in docs/diagnostics.md", "[docs]") {
  const std::string doc = read_doc("diagnostics.md");
  for (const DiagnosticInfo& info : strata::generator::all_diagnostics()) {
    INFO(info.id);
    CHECK(has_row(doc, info.id));
  }
}

TEST_CASE("Every diagnostic id docs/diagnostics.md names is registered", "[docs]") {
  const std::string doc = read_doc("diagnostics.md");
  std::set<std::string> registered;
  for (const DiagnosticInfo& info : strata::generator::all_diagnostics())
    registered.emplace(info.id);
  const std::regex id{"strata-[EWN][0-9]{3}"};
  for (auto it = std::sregex_iterator{doc.begin(), doc.end(), id}; it != std::sregex_iterator{};
       ++it) {
    INFO(it->str());
    CHECK(registered.count(it->str()) == 1);
  }
}

TEST_CASE("Diagnostic ids are unique and their letter says their severity", "[docs]") {
  std::set<std::string_view> seen;
  for (const DiagnosticInfo& info : strata::generator::all_diagnostics()) {
    INFO(info.id);
    CHECK(seen.insert(info.id).second);
    CHECK_FALSE(info.summary.empty());
    REQUIRE(info.id.size() == std::string_view{"strata-E101"}.size());
    const char letter = info.id[7];
    CHECK(letter == (info.severity == Severity::error     ? 'E'
                     : info.severity == Severity::warning ? 'W'
                                                          : 'N'));
  }
}

TEST_CASE("Every lint rule has a row in docs/lint.md", "[docs]") {
  const std::string doc = read_doc("lint.md");
  for (const auto& rule : strata::generator::lint::all_rules()) {
    INFO(rule.id);
    CHECK(has_row(doc, rule.id));
  }
}
