// Command lines suggested after a refusal (see advice.hpp).
#include "advice.hpp"

#include <algorithm>

namespace strata::cli {
namespace {

bool needs_quotes(std::string_view arg) {
  return arg.empty() || std::any_of(arg.begin(), arg.end(), [](char c) {
           const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') ||
                              std::string_view{"_-./:=@%+,"}.find(c) != std::string_view::npos;
           return !plain;
         });
}

std::string shell_quoted(std::string_view arg) {
  if (!needs_quotes(arg))
    return std::string{arg};
  std::string out = "'";
  for (const char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace

std::string command_text(std::string_view program, const std::vector<std::string>& args) {
  std::string out{program};  // the host's own spelling ("auth-service migrate"), never quoted
  for (const std::string& arg : args)
    out += " " + shell_quoted(arg);
  return out;
}

std::vector<std::string> same_target_options(const Host& host, const Invocation& invocation) {
  std::vector<std::string> args;
  if (invocation.table != Invocation{}.table) {
    args.emplace_back("--table");
    args.push_back(invocation.table);
  }
  for (const auto& [name, values] : invocation.host_values) {
    // clang 14 cannot capture a structured binding in a lambda: compare through a plain reference.
    const std::string& wanted = name;
    const auto option = std::find_if(
        host.options.begin(), host.options.end(),
        [&](const HostOption& o) { return o.name.substr(0, o.name.find(',')) == wanted; });
    if (option == host.options.end())
      continue;
    const bool is_default = option->default_value.empty()
                                ? values.empty()
                                : values == std::vector<std::string>{option->default_value};
    if (is_default)
      continue;
    for (const std::string& value : values) {
      args.push_back("--" + name);
      args.push_back(value);
    }
  }
  return args;
}

std::vector<std::string> refusal_advice(const RefusedError& error, const Host& host,
                                        const Invocation& invocation) {
  const bool rollback = error.reason() == Refusal::failed_rollback;
  if ((error.reason() != Refusal::failed && !rollback) || error.versions().empty())
    return {};
  const std::vector<std::string> target = same_target_options(host, invocation);
  const auto resolve = [&](const char* option, const std::string& version) {
    std::vector<std::string> args{"resolve", option, version};
    args.insert(args.end(), target.begin(), target.end());
    return "`" + command_text(host.program, args) + "`";
  };
  std::vector<std::string> lines;
  for (const std::string& version : error.versions()) {
    if (rollback) {
      lines.push_back("once the down of " + version +
                      " is complete: " + resolve("--mark-rolled-back", version) +
                      "; once what it undid is back: " + resolve("--mark-applied", version));
    } else {
      lines.push_back("if " + version + " is in effect: " + resolve("--mark-applied", version) +
                      "; if it is not, to run it again: " + resolve("--forget", version));
    }
  }
  return lines;
}

}  // namespace strata::cli
