// Unit tests of what waiting for the migration lock says, without a database.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lock.hpp"

namespace {

// Feeds the holders seen by successive polls (empty: none seen) and returns those said.
std::vector<std::string> said_for(const std::vector<std::string>& seen) {
  strata::detail::HolderNews news;
  std::vector<std::string> said;
  for (const std::string& pid : seen) {
    if (news.is_news(pid))
      said.push_back(pid);
  }
  return said;
}

}  // namespace

TEST_CASE("A holder that keeps the lock is said once, however often it is seen") {
  CHECK(said_for({"41", "41", "41", "41"}) == std::vector<std::string>{"41"});
}

TEST_CASE("A holder seen gone between a failed try and the look at it is not news") {
  // The holder lets go after the try failed and before pg_locks is read; the next try takes the
  // lock or sees who took it first.
  CHECK(said_for({"41", "", "41"}) == std::vector<std::string>{"41"});
  CHECK(said_for({"41", "", "", "41"}) == std::vector<std::string>{"41"});
}

TEST_CASE("Each new holder of the lock is said") {
  CHECK(said_for({"41", "", "57", "57", "41"}) == std::vector<std::string>{"41", "57", "41"});
}

TEST_CASE("The first wait is said even when its holder cannot be seen") {
  CHECK(said_for({"", ""}) == std::vector<std::string>{""});
  CHECK(said_for({"", "41"}) == std::vector<std::string>{"", "41"});
}
