// `strata lock`: compile, then add the missing lines to the lock file.
#include "tool/lock_command.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "catalog/diagnostics.hpp"
#include "check/lock_file.hpp"
#include "strata/generator/compiler.hpp"
#include "tool/write_if_changed.hpp"

namespace strata::generator::tool {

int lock_migrations(const SourceOptions& options, std::ostream& out, std::ostream& err) {
  // A set that does not compile cannot be released; compile() also reports a locked migration
  // that changed, which locking must never paper over.
  const auto compiled = compile(options, err);
  if (!compiled)
    return 1;
  const std::filesystem::path path = lock_file_path(options);
  Diagnostics ignored;  // compile() has reported the lock file's problems already
  const std::optional<LockFile> existing = read_lock_file(path, ignored);
  std::vector<std::string> added;
  const std::string text =
      render_lock_file(existing ? &*existing : nullptr, compiled->set(), added);
  const std::size_t total = (existing ? existing->entries.size() : 0) + added.size();
  if (added.empty() && existing) {
    out << "Nothing to lock: " << path.string() << " holds all " << total
        << (total == 1 ? " migration\n" : " migrations\n");
    return 0;
  }
  std::string error;
  if (!write_if_changed(path, text, error)) {
    err << "strata lock: " << error << '\n';
    return 1;
  }
  out << "Locked " << added.size() << (added.size() == 1 ? " migration" : " migrations") << " in "
      << path.string() << (added.empty() ? "" : ":") << '\n';
  for (const std::string& version : added)
    out << "  " << version << '\n';
  return 0;
}

}  // namespace strata::generator::tool
