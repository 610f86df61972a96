// The runner over fake ports: a whole visit (first visit, reload) without a browser.
#include <gtest/gtest.h>

#include "fake_platform.hpp"

using namespace imchat::core;
using namespace imchat::core::testing;

namespace {
struct Client {
    FakeSocket sock;
    FakeHttp http;
    FakeStorage& storage;
    Session session{[] { return 0.25; }};
    Runner runner{session, sock, http, storage};
    explicit Client(FakeStorage& s) : storage(s) {}
    void answer(size_t i, int status, const Json& body) {
        runner.dispatch(ev::HttpDone{http.requests.at(i).id, status, body.dump()});
    }
};
const Json kUser = {{"msg", "ok"}, {"data", {{"id", 4}, {"username", "VISx"}, {"role", "visitor"},
                                             {"token", std::string(64, 'b')}}}};
}  // namespace

TEST(Runner, FirstVisitThenReloadKeepsTheGuest) {
    FakeStorage storage;
    {
        Client c(storage);
        c.runner.start("http://h:1/?group=2", "http://h:1", "zh", 1000);
        ASSERT_EQ(c.http.requests.size(), 1u);
        EXPECT_EQ(c.http.requests[0].url, "http://h:1/api/visitorRegister");
        EXPECT_EQ(storage.get(kKeyDevice).size(), 36u);
        c.answer(0, 200, kUser);
        EXPECT_FALSE(storage.get(kKeyUser).empty());
        ASSERT_EQ(c.sock.opened.size(), 1u);
        EXPECT_EQ(c.sock.opened[0], "ws://h:1/ws?token=" + std::string(64, 'b') + "&ack=1");
    }
    const std::string device = storage.get(kKeyDevice);
    {
        Client c(storage);   // the page reloads: same storage
        c.runner.start("http://h:1/?group=2", "http://h:1", "zh", 2000);
        EXPECT_EQ(storage.get(kKeyDevice), device);
        EXPECT_EQ(c.sock.opened.size(), 1u) << "straight to the socket with the kept token";
        for (auto& r : c.http.requests) EXPECT_EQ(r.url.find("visitorRegister"), std::string::npos);
        EXPECT_EQ(c.session.user().id, 4);
    }
}

TEST(Runner, ClosesTheSocketOnHeartbeatDeath) {
    FakeStorage storage;
    storage.set(kKeyUser, kUser["data"].dump());
    Client c(storage);
    c.runner.start("http://h:1/", "http://h:1", "en", 0);
    c.runner.dispatch(ev::SocketOpened{});
    for (int t = 1; t <= 3; ++t) c.runner.dispatch(ev::Tick{t * 5000});
    EXPECT_EQ(c.sock.sent.size(), 2u) << "two unanswered pings";
    EXPECT_EQ(c.sock.closes, 1);
    EXPECT_FALSE(c.sock.is_open);
    EXPECT_EQ(c.session.connection(), Conn::Backoff);
    c.runner.dispatch(ev::Tick{20000});   // past the backoff
    EXPECT_EQ(c.sock.opened.size(), 2u);
    EXPECT_TRUE(c.sock.is_open);
}

TEST(Runner, ExposesTheSessionsNextDeadline) {
    FakeStorage storage;
    storage.set(kKeyUser, kUser["data"].dump());
    Client c(storage);
    c.runner.start("http://h:1/", "http://h:1", "en", 1000);
    EXPECT_EQ(c.runner.next_deadline(), 11000) << "connect timeout";
    c.runner.dispatch(ev::SocketOpened{});
    const int64_t first = c.runner.next_deadline();
    EXPECT_LE(first, 6000);
    c.runner.dispatch(ev::Tick{first});
    EXPECT_GT(c.runner.next_deadline(), first);
}
