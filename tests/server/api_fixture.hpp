// A real Api over in-memory SQLite, the in-process bus and a hub, with a manual
// clock, and a helper that calls a route the way the transport does.
#pragma once
#include <gtest/gtest.h>

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
    static Json data(const Response& r) { return Json::parse(r.body)["data"]; }
};

}  // namespace imchat::server::testing
