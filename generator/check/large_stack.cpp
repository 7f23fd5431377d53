// pthread with an explicit stack size.
#include "check/large_stack.hpp"

#include <string>
#include <system_error>
#include <utility>

namespace strata::generator {
namespace {

// The attributes of one thread, destroyed on every path.
class Attributes {
 public:
  explicit Attributes(std::size_t stack_bytes) {
    if (const int error = pthread_attr_init(&m_attributes); error != 0)
      throw std::system_error(error, std::generic_category(), "pthread_attr_init");
    if (const int error = pthread_attr_setstacksize(&m_attributes, stack_bytes); error != 0) {
      pthread_attr_destroy(&m_attributes);
      throw std::system_error(error, std::generic_category(), "pthread_attr_setstacksize");
    }
  }
  Attributes(const Attributes&) = delete;
  Attributes& operator=(const Attributes&) = delete;
  ~Attributes() { pthread_attr_destroy(&m_attributes); }
  [[nodiscard]] const pthread_attr_t* get() const noexcept { return &m_attributes; }

 private:
  pthread_attr_t m_attributes{};
};

}  // namespace

LargeStackThread::LargeStackThread(std::size_t stack_bytes, std::function<void()> work)
    : m_work{std::move(work)} {
  const Attributes attributes{stack_bytes};
  if (const int error = pthread_create(&m_thread, attributes.get(), &LargeStackThread::run, this);
      error != 0) {
    throw std::system_error(
        error, std::generic_category(),
        "cannot start a thread with a " + std::to_string(stack_bytes >> 20) + " MiB stack");
  }
}

LargeStackThread::~LargeStackThread() {
  if (!m_joined)
    pthread_join(m_thread, nullptr);
}

void LargeStackThread::join() {
  if (!m_joined) {
    pthread_join(m_thread, nullptr);
    m_joined = true;
  }
  if (m_failure)
    std::rethrow_exception(std::exchange(m_failure, nullptr));
}

void* LargeStackThread::run(void* self) noexcept {
  auto* thread = static_cast<LargeStackThread*>(self);
  try {
    thread->m_work();
  } catch (...) {
    thread->m_failure = std::current_exception();
  }
  return nullptr;
}

void run_on_large_stack(std::size_t bytes, const std::function<void()>& work) {
  LargeStackThread thread{bytes, work};
  thread.join();
}

}  // namespace strata::generator
