// Depfile text.
#include "tool/depfile.hpp"

namespace strata::generator::tool {
namespace {

std::string escape(const std::string& path) {
  std::string result;
  for (char c : path) {
    if (c == ' ' || c == '#' || c == '\\')
      result += '\\';
    if (c == '$')
      result += '$';
    result += c;
  }
  return result;
}

}  // namespace

std::string make_depfile(const std::filesystem::path& target,
                         const std::vector<std::filesystem::path>& dependencies) {
  std::string text = escape(target.string()) + ':';
  for (const auto& dependency : dependencies)
    text += " \\\n  " + escape(dependency.string());
  return text + '\n';
}

}  // namespace strata::generator::tool
