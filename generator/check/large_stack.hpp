// Threads whose stack size strata chooses (std::thread cannot), for work that recurses as deep as
// a parse tree: libpg_query's JSON output, strata's JSON reader and the checks that walk trees.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <pthread.h>

namespace strata::generator {

// Holds check/nesting.hpp's max_nesting levels of every tree walk with room to spare (the deepest
// measured, libpg_query's output plus a lint walk, stays under 64 MiB). Only the pages touched
// are ever backed by memory.
inline constexpr std::size_t large_stack_bytes = std::size_t{256} << 20;

// A running thread with a stack of a chosen size; joined when destroyed.
class LargeStackThread {
 public:
  // Starts `work`. Throws std::system_error when the thread cannot be started.
  LargeStackThread(std::size_t stack_bytes, std::function<void()> work);
  LargeStackThread(const LargeStackThread&) = delete;
  LargeStackThread& operator=(const LargeStackThread&) = delete;
  ~LargeStackThread();

  // Waits for the work to end; rethrows what it threw.
  void join();

 private:
  static void* run(void* self) noexcept;

  std::function<void()> m_work;
  std::exception_ptr m_failure;
  pthread_t m_thread{};
  bool m_joined = false;
};

// Runs `work` on a new thread with a stack of `bytes` and waits for it; rethrows what it threw.
// Throws std::system_error when the thread cannot be started.
void run_on_large_stack(std::size_t bytes, const std::function<void()>& work);

}  // namespace strata::generator
