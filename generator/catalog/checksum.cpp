// Sha256 over OpenSSL's EVP interface.
#include "catalog/checksum.hpp"

#include <array>
#include <new>
#include <stdexcept>

#include <openssl/evp.h>

namespace strata::generator {

void Sha256::FreeDigest::operator()(EVP_MD* digest) const noexcept {
  EVP_MD_free(digest);
}

void Sha256::FreeContext::operator()(EVP_MD_CTX* context) const noexcept {
  EVP_MD_CTX_free(context);
}

Sha256::Sha256() : m_digest(EVP_MD_fetch(nullptr, "SHA256", nullptr)), m_context(EVP_MD_CTX_new()) {
  if (!m_context)
    throw std::bad_alloc{};
  if (!m_digest)
    throw std::runtime_error("OpenSSL offers no SHA-256 digest");
}

Sha256::~Sha256() = default;

std::string Sha256::checksum(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestInit_ex(m_context.get(), m_digest.get(), nullptr) != 1 ||
      EVP_DigestUpdate(m_context.get(), text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(m_context.get(), digest.data(), &size) != 1) {
    throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
  }
  constexpr std::string_view hex = "0123456789abcdef";
  std::string result;
  result.reserve(7 + 2 * size);
  result = "sha256:";
  for (unsigned int i = 0; i < size; ++i) {
    result += hex[digest[i] >> 4U];
    result += hex[digest[i] & 0x0FU];
  }
  return result;
}

}  // namespace strata::generator
