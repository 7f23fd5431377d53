// FNV-1a, 64 bits: a hash that is the same on every platform, compiler and strata version, for
// what must not change from one run or build to the next: the migration lock's key, the names of
// the replay's kept templates and of the tool's catalog caches.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::detail {

class StableHash {
 public:
  constexpr StableHash& add(std::string_view text) noexcept {
    for (const char c : text)
      add_byte(static_cast<unsigned char>(c));
    return *this;
  }
  // A byte no UTF-8 text holds, between chained fields: ("ab", "c") and ("a", "bc") then differ.
  constexpr StableHash& separate() noexcept {
    add_byte(0xFFU);
    return *this;
  }
  [[nodiscard]] constexpr std::uint64_t value() const noexcept { return m_hash; }
  // value() as 16 lowercase hex digits.
  [[nodiscard]] std::string hex() const {
    constexpr std::string_view digits = "0123456789abcdef";
    std::string text(16, '0');
    for (std::size_t i = 0; i < 16; ++i)
      text[15 - i] = digits[(m_hash >> (4 * i)) & 0xFU];
    return text;
  }

 private:
  constexpr void add_byte(unsigned char byte) noexcept {
    m_hash ^= byte;
    m_hash *= 1099511628211ULL;
  }

  std::uint64_t m_hash = 14695981039346656037ULL;
};

}  // namespace strata::detail
