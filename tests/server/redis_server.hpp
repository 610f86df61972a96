// A throwaway redis-server for tests: free port, no persistence, killed with
// the object. available() is false (with a reason) when Debian's redis-server
// is not installed; tests then GTEST_SKIP.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>

#include "server/bus/resp.hpp"

namespace imchat::server::testing {

inline std::string find_redis_server() {
    if (const char* e = std::getenv("IMCHAT_REDIS_SERVER"); e && *e)   // "none": as if not installed
        return access(e, X_OK) == 0 ? e : "";
    const char* path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/bin:/usr/sbin");
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        const std::string p = dir + "/redis-server";
        if (access(p.c_str(), X_OK) == 0) return p;
    }
    return access("/usr/bin/redis-server", X_OK) == 0 ? "/usr/bin/redis-server" : "";
}

inline uint16_t free_port() {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    close(s);
    return ntohs(a.sin_port);
}

// A blocking client for test assertions: one command, one reply.
class RedisClient {
public:
    explicit RedisClient(uint16_t port) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) { close(fd_); fd_ = -1; }
        timeval tv{5, 0};
        if (fd_ >= 0) setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~RedisClient() { if (fd_ >= 0) close(fd_); }
    bool ok() const { return fd_ >= 0; }
    bool send(const std::vector<std::string_view>& args) {
        std::string out;
        resp::encode_command(out, args);
        return fd_ >= 0 && ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(out.size());
    }
    // Next reply or push; type Nil with str "timeout"/"closed" on failure.
    resp::Value read() {
        for (;;) {
            auto p = resp::parse(in_);
            if (p.status == resp::Status::Value) { in_.erase(0, p.consumed); return p.value; }
            if (p.status == resp::Status::Error || fd_ < 0) break;
            char buf[4096];
            const ssize_t n = recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) { resp::Value v; v.str = n == 0 ? "closed" : "timeout"; return v; }
            in_.append(buf, static_cast<size_t>(n));
        }
        resp::Value v;
        v.str = "error";
        return v;
    }
    resp::Value command(const std::vector<std::string_view>& args) {
        if (!send(args)) { resp::Value v; v.str = "closed"; return v; }
        return read();
    }

private:
    int         fd_ = -1;
    std::string in_;
};

class RedisServer {
public:
    RedisServer() : bin_(find_redis_server()), port_(free_port()) {
        if (!bin_.empty()) start();
    }
    ~RedisServer() { kill_now(); }
    bool        available() const { return !bin_.empty(); }
    std::string why_unavailable() const {
        return "redis-server not found (apt-get install redis-server, or shell/setup --cluster)";
    }
    uint16_t port() const { return port_; }
    bool     running() const { return pid_ > 0; }

    // Starts on the same port; true once it answers PING.
    bool start() {
        if (pid_ > 0 || bin_.empty()) return pid_ > 0;
        const std::string port = std::to_string(port_);
        pid_ = fork();
        if (pid_ == 0) {
            freopen("/dev/null", "w", stdout);
            execl(bin_.c_str(), bin_.c_str(), "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--protected-mode", "no", static_cast<char*>(nullptr));
            _exit(127);
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < until) {
            RedisClient c(port_);
            if (c.ok() && c.command({"PING"}).str == "PONG") return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    void pause() { if (pid_ > 0) ::kill(pid_, SIGSTOP); }
    void resume() { if (pid_ > 0) ::kill(pid_, SIGCONT); }

private:
    std::string bin_;
    uint16_t    port_;
    pid_t       pid_ = -1;
};

}  // namespace imchat::server::testing
