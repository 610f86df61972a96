// Native fakes of the client's platform ports: record what the core asked for,
// let the test answer.
#pragma once
#include <map>
#include <vector>

#include "core/platform.hpp"

namespace imchat::core::testing {

struct FakeSocket : SocketPort {
    std::vector<std::string> opened, sent;
    int  closes = 0;
    bool is_open = false;
    void open(const std::string& url) override { opened.push_back(url); is_open = true; }
    void send(const std::string& text) override { sent.push_back(text); }
    void close(int, const std::string&) override { ++closes; is_open = false; }
};

struct FakeHttp : HttpPort {
    std::vector<act::Http> requests;
    void request(const act::Http& r) override { requests.push_back(r); }
};

struct FakeStorage : StoragePort {
    std::map<std::string, std::string> kv;
    std::string get(const std::string& k) override { auto it = kv.find(k); return it == kv.end() ? "" : it->second; }
    void set(const std::string& k, const std::string& v) override { if (v.empty()) kv.erase(k); else kv[k] = v; }
};

}  // namespace imchat::core::testing
