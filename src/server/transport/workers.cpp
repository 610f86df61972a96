#include "server/transport/workers.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace imchat::server {

Workers::Workers(int threads, int nice_level) : guard_(net::make_work_guard(ioc_)) {
    for (int i = 0; i < std::max(1, threads); ++i)
        threads_.emplace_back([this, nice_level] {
            // Linux: a thread's nice value is its own (setpriority on its tid).
            setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice_level);
            ioc_.run();
        });
}

Workers::~Workers() { stop(); }

void Workers::post(std::function<void()> job) {
    pending_.fetch_add(1, std::memory_order_relaxed);
    net::post(ioc_, [this, job = std::move(job)] {
        job();
        pending_.fetch_sub(1, std::memory_order_relaxed);
    });
}

void Workers::stop() {
    guard_.reset();
    ioc_.stop();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

}  // namespace imchat::server
