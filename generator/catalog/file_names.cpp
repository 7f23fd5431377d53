// Naming rules of the dbmate, pair, plain, directory and Flyway forms (research/formats.md).
#include "catalog/file_names.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace strata::generator {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

std::size_t leading_digits(std::string_view text) noexcept {
  return static_cast<std::size_t>(std::find_if_not(text.begin(), text.end(), is_digit) -
                                  text.begin());
}

// The length of a version made of two or more digit groups joined by `-` and followed by `_`
// (Diesel's `2024-01-01-000000_`); 0 when `stem` does not start with one.
std::size_t dashed_version_end(std::string_view stem) noexcept {
  std::size_t i = leading_digits(stem);
  bool joined = false;
  while (i + 1 < stem.size() && stem[i] == '-' && is_digit(stem[i + 1])) {
    i += 1 + leading_digits(stem.substr(i + 1));
    joined = true;
  }
  return joined && i + 1 < stem.size() && stem[i] == '_' ? i : 0;
}

constexpr std::size_t date_digits = 8;        // YYYYMMDD
constexpr std::size_t date_time_digits = 15;  // YYYYMMDD_HHMMSS

ClassifiedName invalid(std::string problem) {
  return ClassifiedName{NameKind::invalid, {}, {}, std::move(problem)};
}

constexpr std::string_view forms_hint =
    "expected <version>_<name>.sql, <version>_<name>.up.sql/.down.sql, V<version>__<name>.sql, "
    "U<version>__<name>.sql or R__<name>.sql";

// V1_2__name.sql / U1.2__name.sql / R__name.sql.
ClassifiedName classify_flyway(std::string_view file_name, std::string_view stem) {
  const char prefix = stem.front();
  const std::size_t separator = stem.find("__");
  if (separator == std::string_view::npos)
    return invalid("Flyway name without `__` separator");
  std::string_view version = stem.substr(1, separator - 1);
  const std::string_view name = stem.substr(separator + 2);
  if (prefix == 'R') {
    if (!version.empty())
      return invalid("a repeatable (R__) migration cannot have a version");
    if (name.empty())
      return invalid("R__ routine file without a name");
    return ClassifiedName{NameKind::routine, {}, std::string{stem}, {}};
  }
  if (version.empty())
    return invalid("Flyway migration without a version");
  std::string display;
  for (std::size_t i = 0; i < version.size(); ++i) {
    const char c = version[i];
    if (is_digit(c)) {
      display += c;
    } else if ((c == '.' || c == '_') && i > 0 && i + 1 < version.size() &&
               is_digit(version[i + 1])) {
      display += '.';
    } else {
      return invalid("Flyway version `" + std::string{version} +
                     "` is not digits separated by "
                     "`.` or `_`");
    }
  }
  if (name.empty())
    return invalid("Flyway migration without a name");
  (void)file_name;
  return ClassifiedName{prefix == 'V' ? NameKind::flyway_up : NameKind::flyway_down,
                        std::move(display),
                        std::string{name},
                        {}};
}

}  // namespace

ClassifiedName classify_file_name(std::string_view file_name) {
  if (!file_name.ends_with(".sql"))
    return ClassifiedName{NameKind::not_sql, {}, {}, {}};
  const std::string_view stem = file_name.substr(0, file_name.size() - 4);
  if (!stem.empty() && (stem.front() == 'V' || stem.front() == 'U' || stem.front() == 'R') &&
      stem.size() > 1 && (is_digit(stem[1]) || stem[1] == '_' || stem[1] == '.')) {
    return classify_flyway(file_name, stem);
  }
  const std::size_t digits = leading_digits(stem);
  if (digits == 0)
    return invalid(std::string{"name does not start with a version; "} + std::string{forms_hint});
  std::string version;
  std::size_t name_start = 0;
  if (const std::size_t dashed = dashed_version_end(stem); dashed != 0) {
    version = stem.substr(0, dashed);  // Diesel's 2024-01-01-000000[-0000], as in a folder name
    name_start = dashed + 1;
  } else if (digits == date_digits && stem.size() > date_time_digits + 1 &&
             stem[date_digits] == '_' && leading_digits(stem.substr(date_digits + 1)) == 6 &&
             stem[date_time_digits] == '_') {
    // YYYYMMDD_HHMMSS_name: one 14-digit timestamp, so two migrations of one day do not collide.
    version =
        std::string{stem.substr(0, date_digits)} + std::string{stem.substr(date_digits + 1, 6)};
    name_start = date_time_digits + 1;
  } else {
    if (digits == stem.size() || (stem[digits] != '_' && stem[digits] != '-')) {
      return invalid("the version must be followed by `_` or `-` and a name; " +
                     std::string{forms_hint});
    }
    version = stem.substr(0, digits);
    name_start = digits + 1;
  }
  std::string_view name = stem.substr(name_start);
  NameKind kind = NameKind::single;
  if (name.ends_with(".up")) {
    kind = NameKind::pair_up;
    name.remove_suffix(3);
  } else if (name.ends_with(".down")) {
    kind = NameKind::pair_down;
    name.remove_suffix(5);
  }
  if (name.empty())
    return invalid("migration file name without a name after the version");
  return ClassifiedName{kind, std::move(version), std::string{name}, {}};
}

ClassifiedName classify_directory_name(std::string_view directory_name) {
  std::size_t i = 0;
  while (true) {
    const std::size_t digits = leading_digits(directory_name.substr(i));
    if (digits == 0)
      return ClassifiedName{NameKind::not_sql, {}, {}, {}};
    i += digits;
    if (i < directory_name.size() && directory_name[i] == '-' && i + 1 < directory_name.size() &&
        is_digit(directory_name[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  // `<v>_<name>`, or Diesel's `<v>-<name>` without any `_` (its version is then the whole name).
  const bool underscore = i < directory_name.size() && directory_name[i] == '_';
  const bool dash_only = i < directory_name.size() && directory_name[i] == '-' &&
                         directory_name.find('_') == std::string_view::npos;
  if ((!underscore && !dash_only) || i + 1 == directory_name.size())
    return ClassifiedName{NameKind::not_sql, {}, {}, {}};
  return ClassifiedName{NameKind::single,
                        std::string{directory_name.substr(0, i)},
                        std::string{directory_name.substr(i + 1)},
                        {}};
}

bool is_valid_migration_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 200 || name == "." || name == "..")
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u != 0x7F &&
           std::string_view{"/\\:*?\"<>|"}.find(c) == std::string_view::npos;
  });
}

std::string unusable_name(std::string_view name) {
  if (!strata::detail::is_valid_utf8(name))
    return "is not valid UTF-8";
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = strata::detail::utf8_sequence_length(name, i);
    if (strata::detail::is_control_character(name, i, length) || name[i] == '\t')
      return "holds a control character";
    i += length;
  }
  return {};
}

}  // namespace strata::generator
