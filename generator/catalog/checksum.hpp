// The checksum the history table stores for a migration: "sha256:" + lowercase hex SHA-256 of
// its up section's normalised text (OpenSSL).
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_md_st;
struct evp_md_ctx_st;

namespace strata::generator {

// Computes many checksums with one fetched digest and one reused context: OpenSSL 3 looks the
// algorithm up again on every one-shot call, which costs more than hashing a migration.
class Sha256 {
 public:
  // Throws std::runtime_error when OpenSSL offers no SHA-256, std::bad_alloc.
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // "sha256:<64 hex digits>" of `text`. Throws std::runtime_error when OpenSSL fails.
  [[nodiscard]] std::string checksum(std::string_view text);

 private:
  struct FreeDigest {
    void operator()(evp_md_st* digest) const noexcept;
  };
  struct FreeContext {
    void operator()(evp_md_ctx_st* context) const noexcept;
  };
  std::unique_ptr<evp_md_st, FreeDigest> m_digest;
  std::unique_ptr<evp_md_ctx_st, FreeContext> m_context;
};

}  // namespace strata::generator
