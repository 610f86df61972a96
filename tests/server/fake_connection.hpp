#pragma once
#include "server/hub.hpp"

namespace imchat::server::testing {

struct FakeConnection : Connection {
    explicit FakeConnection(uint64_t i) : id_(i) {}
    uint64_t id() const override { return id_; }
    void send(const Frame& f) override { sent.push_back(*f); }
    void close(int code, const std::string&) override { closed_with = code; }
    uint64_t id_;
    std::vector<std::string> sent;
    int closed_with = 0;
};

}  // namespace imchat::server::testing
