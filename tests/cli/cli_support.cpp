// Shared helpers of the CLI tests (see cli_support.hpp).
#include "cli_support.hpp"

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/property_tree/json_parser.hpp>

#include "pq/connection.hpp"

namespace strata::test {

ProcessResult strata_tool(const std::vector<std::string>& args, const Environment& environment,
                          const std::string& working_directory) {
  return run_process(std::vector<std::string>{STRATA_TOOL_PATH} + args, environment,
                     working_directory);
}

ProcessResult auth_service(const std::vector<std::string>& args, const Environment& environment) {
  return run_process(std::vector<std::string>{AUTH_SERVICE_PATH} + args, environment);
}

std::filesystem::path sample_migrations() {
  return std::filesystem::path{STRATA_SOURCE_DIR} / "migrations";
}

std::vector<std::string> sample_args() {
  return {"-d", sample_migrations().string(), "--routines",
          (sample_migrations() / "routines").string()};
}

MigrationsCopy::MigrationsCopy() {
  std::random_device random;
  m_root = std::filesystem::temp_directory_path() /
           ("strata-cli-migrations-" + std::to_string(random()) + std::to_string(random()));
  m_dir = m_root / "migrations";
  std::filesystem::create_directories(m_root);
  std::filesystem::copy(sample_migrations(), m_dir, std::filesystem::copy_options::recursive);
}

MigrationsCopy::~MigrationsCopy() {
  std::error_code ignored;
  std::filesystem::remove_all(m_root, ignored);
}

void MigrationsCopy::write(const std::string& relative, const std::string& text) const {
  std::ofstream out{m_dir / relative, std::ios::binary | std::ios::trunc};
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + relative);
}

void MigrationsCopy::remove(const std::string& relative) const {
  if (!std::filesystem::remove(m_dir / relative))
    throw std::runtime_error("no file " + relative);
}

void MigrationsCopy::edit(const std::string& relative, const std::string& from,
                          const std::string& to) const {
  std::ifstream in{m_dir / relative, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  const std::size_t at = content.find(from);
  if (at == std::string::npos)
    throw std::runtime_error("'" + from + "' not in " + relative);
  content.replace(at, from.size(), to);
  write(relative, content);
}

ProcessResult strata_tool_at(const std::string& url, const std::vector<std::string>& args,
                             const std::vector<std::string>& source) {
  return strata_tool(args + std::vector<std::string>{"--url", url} + source);
}

ProcessResult strata_tool_at(const std::string& url, const MigrationsCopy& copy,
                             const std::vector<std::string>& args) {
  return strata_tool_at(url, args, copy.args());
}

bool wait_for_query(const std::string& url, const std::string& fragment) {
  pq::Connection watcher{url};
  const std::string like = watcher.quote_literal("%" + fragment + "%");
  for (int i = 0; i < 100; ++i) {
    if (watcher
            .exec("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                  "AND query LIKE " +
                  like + " AND pid <> pg_backend_pid()")
            .rows() > 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return false;
}

boost::property_tree::ptree parse_json(const std::string& text) {
  std::istringstream in{text};
  boost::property_tree::ptree tree;
  boost::property_tree::read_json(in, tree);
  return tree;
}

std::vector<std::pair<std::string, std::string>> states(const std::string& json) {
  std::vector<std::pair<std::string, std::string>> result;
  const boost::property_tree::ptree tree = parse_json(json);
  for (const auto& [key, entry] : tree.get_child("migrations")) {
    const auto version = entry.get<std::string>("version");
    auto name = entry.get<std::string>("name");
    if (version != "null")
      name.insert(0, version + "_");
    result.emplace_back(name, entry.get<std::string>("state"));
  }
  return result;
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace strata::test
