// Each form in its own tool's order (see order.hpp).
#include "catalog/order.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

#include <strata/version_order.hpp>

#include "catalog/catalog.hpp"
#include "catalog/diagnostics.hpp"

namespace strata::generator {
namespace {

// How a migration's own tool orders it among migrations of its form.
enum class OrderRule : std::uint8_t { diesel_text, file_name, number };

OrderRule order_rule(Form form) noexcept {
  switch (form) {
    case Form::directory:
      return OrderRule::diesel_text;
    case Form::dbmate:
      return OrderRule::file_name;
    default:
      return OrderRule::number;  // sqlx, golang-migrate, goose; Flyway's segments
  }
}

// What `rule` compares as text; empty for the numeric rule, which compares versions.
std::string order_key(OrderRule rule, const MigrationSource& migration) {
  switch (rule) {
    case OrderRule::diesel_text:
      return diesel_version(migration.up.file->path().parent_path().filename().string());
    case OrderRule::file_name:
      return migration.up.file->path().filename().string();
    case OrderRule::number:
      break;
  }
  return {};
}

bool runs_before(OrderRule rule, const MigrationSource& a, const MigrationSource& b) {
  if (rule == OrderRule::number)
    return order_versions(a.version, b.version) < 0;
  return order_key(rule, a) < order_key(rule, b);
}

}  // namespace

std::strong_ordering order_versions(std::string_view a, std::string_view b) noexcept {
  const auto all_digits = [](std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(a) || !all_digits(b))
    return compare_versions(a, b);
  constexpr std::size_t timestamp_digits = 14;
  if (a.size() >= timestamp_digits && b.size() >= timestamp_digits)
    return a.compare(b) <=> 0;
  while (a.size() > 1 && a.front() == '0')
    a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0')
    b.remove_prefix(1);
  if (a.size() != b.size())
    return a.size() <=> b.size();
  return a.compare(b) <=> 0;
}

void order_as_their_tools(std::vector<MigrationSource>& versioned, Diagnostics& diagnostics) {
  if (versioned.empty())
    return;
  const OrderRule rule = order_rule(versioned.front().form);
  const bool one_rule = std::all_of(versioned.begin(), versioned.end(),
                                    [&](const auto& m) { return order_rule(m.form) == rule; });
  if (one_rule) {
    if (rule == OrderRule::number)
      return;  // already in that order
    // Keys computed once, not per comparison: a path's file name is not free.
    std::vector<std::string> keys;
    keys.reserve(versioned.size());
    for (const MigrationSource& migration : versioned)
      keys.push_back(order_key(rule, migration));
    std::vector<std::size_t> order(versioned.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    std::vector<MigrationSource> sorted;
    sorted.reserve(versioned.size());
    for (const std::size_t i : order)
      sorted.push_back(std::move(versioned[i]));
    versioned = std::move(sorted);
    return;
  }
  std::map<OrderRule, const MigrationSource*> previous;
  for (const MigrationSource& migration : versioned) {
    const OrderRule own = order_rule(migration.form);
    const MigrationSource*& before = previous[own];
    if (before != nullptr && runs_before(own, migration, *before)) {
      diagnostics.add(
          migration.up.file->path(), "strata-W101",
          "this folder mixes migration forms, so " + before->version + " runs before " +
              migration.version + " (numbers, dashes removed); " +
              std::string{form_name(migration.form)} + "'s own tool would run " +
              migration.version + " first",
          "keep one form per folder, or give the two versions that order the same both ways");
    }
    before = &migration;
  }
}

}  // namespace strata::generator
