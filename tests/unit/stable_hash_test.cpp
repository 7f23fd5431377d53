// The stable hash: FNV-1a's published values, so that lock keys, kept replay templates and catalog
// cache names stay what earlier strata releases computed.
#include <catch2/catch.hpp>

#include "stable_hash.hpp"

using strata::detail::StableHash;

TEST_CASE("The stable hash is FNV-1a, 64 bits, as published") {
  static_assert(StableHash{}.value() == 0xcbf29ce484222325ULL);
  static_assert(StableHash{}.add("a").value() == 0xaf63dc4c8601ec8cULL);
  static_assert(StableHash{}.add("foobar").value() == 0x85944171f73967e8ULL);
  CHECK(StableHash{}.add("foobar").hex() == "85944171f73967e8");
  CHECK(StableHash{}.add("a").hex() == "af63dc4c8601ec8c");
}

TEST_CASE("Chained fields with a separator between them hash apart however the text is cut") {
  CHECK(StableHash{}.add("ab").separate().add("c").value() !=
        StableHash{}.add("a").separate().add("bc").value());
  CHECK(StableHash{}.add("ab").add("c").value() == StableHash{}.add("a").add("bc").value());
}
