// The one fixture of the API tests: a real Api over in-memory SQLite, the
// in-process bus and a hub, with a manual clock; helpers that call a route the
// way the transport does and make guests, users, groups and messages.
#pragma once
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "fake_connection.hpp"
#include "server/api/api.hpp"
#include "server/hub.hpp"

namespace imchat::server::testing {

class ApiFixture : public ::testing::Test {
protected:
    using Json = protocol::Json;
    std::unique_ptr<Store> store = make_sqlite_store(":memory:");
    std::unique_ptr<Bus> bus = make_memory_bus();
    Hub hub{*bus};
    int64_t clock = 1'700'000'000'000;
    Api api{*store, *bus, [this] { return clock; }, ApiConfig{"http://192.168.1.5:8080"}};
    int device = 0;   // guest() registers device 1, 2, ...

    // An account; `sock` is its fake socket on the hub (null unless connected).
    struct Who { int64_t id; std::string token; std::shared_ptr<FakeConnection> sock; };

    // `target` may carry a query string; `body` is sent as JSON unless null.
    Response call(const std::string& method, const std::string& target, const std::string& token = "",
                  const Json& body = nullptr) {
        Request r;
        r.method = method;
        auto q = target.find('?');
        r.path = target.substr(0, q);
        r.query = q == std::string::npos ? "" : target.substr(q + 1);
        r.token = token;
        r.body = body.is_null() ? "" : body.dump();
        r.remote = "10.0.0.1";
        auto res = api.handle(r);
        EXPECT_TRUE(res) << target << " is an API route";
        return res ? *res : Response{};
    }
    Response post(const Who& w, const std::string& route, const Json& body) { return call("POST", route, w.token, body); }
    static Json data(const Response& r) { return Json::parse(r.body)["data"]; }

    // A fake socket for `w` on the hub (a newer one closes the older, as in production).
    std::shared_ptr<FakeConnection> connect(const Who& w) {
        static uint64_t next = 1;
        auto c = std::make_shared<FakeConnection>(next++);
        hub.attach(w.id, c);
        return c;
    }
    // The guest of device `n` (same n, same guest), without a socket.
    Who guest(int n) {
        char dev[40];
        std::snprintf(dev, sizeof dev, "%08d-0000-4000-8000-000000000000", n);
        auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", dev}, {"timestamp", clock}});
        EXPECT_EQ(r.status, 200) << r.body;
        Json d = data(r);
        return {d["id"].get<int64_t>(), d["token"].get<std::string>(), nullptr};
    }
    // A guest on a new device, with a socket.
    Who guest() {
        Who w = guest(++device);
        w.sock = connect(w);
        return w;
    }
    // A registered user, logged in, with a socket.
    Who user(const std::string& name) {
        EXPECT_EQ(call("POST", "/api/regChat", "", Json{{"username", name}, {"password", "secret1"}}).status, 200);
        auto r = call("POST", "/api/loginChat", "", Json{{"username", name}, {"password", "secret1"}});
        Who w{data(r)["id"].get<int64_t>(), data(r)["token"].get<std::string>(), nullptr};
        w.sock = connect(w);
        return w;
    }
    int64_t create_group(const Who& owner, int policy = 0) {
        auto r = post(owner, "/api/chat/group/create", Json{{"name", "测试群"}});
        EXPECT_EQ(r.status, 200) << r.body;
        const int64_t gid = data(r)["id"];
        if (policy) EXPECT_EQ(post(owner, "/api/chat/groupAddUserSet", Json{{"group_id", gid}, {"addGroupSet", policy}}).status, 200);
        return gid;
    }
    Response join(const Who& w, int64_t gid, const std::string& reason = "") {
        return post(w, "/api/chat/groupInviteUser",
                    Json{{"group_id", gid}, {"user_id", w.id}, {"inviteuser_id", -1}, {"addGroupDesc", reason}});
    }
    // Sends a text; answers the whole envelope ({msg, data}), the status in `status`.
    Json send(const Who& w, int64_t to, const std::string& text, int* status = nullptr,
              const std::string& type = "group", const std::string& cmid = "") {
        auto r = post(w, "/api/chat/socket/sendmessage",
                      Json{{"sendto_id", to}, {"chatType", type}, {"type", "text"}, {"data", text},
                           {"options", ""}, {"client_msg_id", cmid}});
        if (status) *status = r.status;
        return Json::parse(r.body);
    }
    size_t count(int64_t gid) { return store->messages_after(conv_key("group", gid), 0, 1000).size(); }
    static Json last_frame(const Who& w) { return w.sock->sent.empty() ? Json() : Json::parse(w.sock->sent.back())["data"]; }
};

}  // namespace imchat::server::testing
