// Behaviour every Bus implementation keeps (see bus.hpp), run against the memory
// bus and the Redis bus; then what only a bus shared by several processes can
// show: two RedisBus instances ("processes") on one Redis.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "server/bus/bus.hpp"
#include "server/bus/bus_redis.hpp"
#include "server/hub.hpp"
#include "redis_server.hpp"

using namespace imchat::server;
using imchat::server::testing::RedisClient;
using imchat::server::testing::RedisServer;
using namespace std::chrono_literals;

namespace {

// Deliveries may be asynchronous (Redis): poll a condition until it holds or time runs out.
bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds limit = 5000ms) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!cond()) {
        if (std::chrono::steady_clock::now() > until) return cond();
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

// One redis-server for the whole binary, started on first use; tests keep apart by prefix.
RedisServer& shared_redis() {
    static RedisServer server;
    return server;
}
std::string unique_prefix() {
    static std::atomic<int> n{0};
    return "t" + std::to_string(getpid()) + "." + std::to_string(n++);
}

std::unique_ptr<RedisBus> redis_bus(uint16_t port, const std::string& prefix, const std::string& node = "") {
    RedisBusConfig cfg;
    cfg.port = port;
    cfg.prefix = prefix;
    cfg.node_id = node;
    return make_redis_bus(cfg);
}

struct BusFactory {
    std::string name;
    std::function<std::unique_ptr<Bus>()> make;   // nullptr: skip (with skip_reason)
    std::function<std::string()> skip_reason;
};
const BusFactory kBuses[] = {
    {"memory", [] { return make_memory_bus(); }, [] { return std::string(); }},
    {"redis",
     []() -> std::unique_ptr<Bus> {
         auto b = redis_bus(shared_redis().port(), unique_prefix());
         if (!wait_until([&] { return b->healthy(); }, 10s)) return nullptr;
         return b;
     },
     []() -> std::string {
         if (!shared_redis().available()) return shared_redis().why_unavailable();
         return shared_redis().running() ? "" : "redis-server did not start";
     }},
};

void PrintTo(const BusFactory& f, std::ostream* os) { *os << f.name; }

// Thread-safe: Redis deliveries arrive on the bus's io thread.
struct Recorder {
    mutable std::mutex mu;
    std::vector<std::pair<int64_t, std::string>> delivered;
    std::vector<std::pair<int64_t, uint64_t>> kicks;
    std::vector<bool> health;
    Bus::Handler handler() {
        return {[this](int64_t u, const Frame& f) { std::lock_guard lk(mu); delivered.emplace_back(u, *f); },
                [this](int64_t u, uint64_t keep) { std::lock_guard lk(mu); kicks.emplace_back(u, keep); },
                [this](bool h) { std::lock_guard lk(mu); health.push_back(h); }};
    }
    size_t n_delivered() const { std::lock_guard lk(mu); return delivered.size(); }
    size_t n_kicks() const { std::lock_guard lk(mu); return kicks.size(); }
    std::vector<std::pair<int64_t, std::string>> got() const { std::lock_guard lk(mu); return delivered; }
    std::vector<std::pair<int64_t, uint64_t>> got_kicks() const { std::lock_guard lk(mu); return kicks; }
    std::vector<bool> got_health() const { std::lock_guard lk(mu); return health; }
};

Frame text(const std::string& s) { return std::make_shared<const std::string>(s); }

class BusConformance : public ::testing::TestWithParam<BusFactory> {
protected:
    void SetUp() override {
        if (auto why = GetParam().skip_reason(); !why.empty()) GTEST_SKIP() << why;
        bus = GetParam().make();
        ASSERT_TRUE(bus) << "bus never became healthy";
    }
    Recorder a, b;              // declared before the bus: they outlive its io thread
    std::unique_ptr<Bus> bus;
};
}  // namespace

TEST_P(BusConformance, EverySubscriberGetsFramesInPublishOrder) {
    bus->subscribe(a.handler());
    bus->subscribe(b.handler());
    bus->publish({1, 2}, text("x"));
    bus->publish({1}, text("y"));
    const std::vector<std::pair<int64_t, std::string>> want{{1, "x"}, {2, "x"}, {1, "y"}};
    EXPECT_TRUE(wait_until([&] { return a.n_delivered() >= 3 && b.n_delivered() >= 3; }));
    std::this_thread::sleep_for(50ms);   // nothing more (no echo) arrives
    EXPECT_EQ(a.got(), want);
    EXPECT_EQ(b.got(), want);
}

TEST_P(BusConformance, KicksReachEverySubscriber) {
    bus->subscribe(a.handler());
    bus->subscribe(b.handler());
    bus->kick(7, 42);
    EXPECT_TRUE(wait_until([&] { return a.n_kicks() >= 1 && b.n_kicks() >= 1; }));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(a.got_kicks(), (std::vector<std::pair<int64_t, uint64_t>>{{7, 42}}));
    EXPECT_EQ(b.got_kicks(), a.got_kicks());
}

TEST_P(BusConformance, PublishToNobodyIsHarmless) {
    bus->subscribe(a.handler());
    bus->publish({}, text("x"));
    std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(a.got().empty());
}

TEST_P(BusConformance, IsHealthyOnceStarted) { EXPECT_TRUE(bus->healthy()); }

TEST_P(BusConformance, PresenceFollowsSetOnline) {
    EXPECT_TRUE(bus->online({}).empty());
    EXPECT_EQ(bus->online({1, 2}), (std::vector<bool>{false, false}));
    bus->set_online(1, true);
    bus->set_online(2, true);
    bus->set_online(2, false);
    // Calls apply in order: a query after them sees them (no waiting).
    EXPECT_EQ(bus->online({1, 2, 3}), (std::vector<bool>{true, false, false}));
    bus->set_online(1, false);
    EXPECT_EQ(bus->online({1}), std::vector<bool>{false});
}

INSTANTIATE_TEST_SUITE_P(All, BusConformance, ::testing::ValuesIn(kBuses),
                         [](const auto& info) { return info.param.name; });

// ---- Two processes on one Redis ----

namespace {
class TwoNodes : public ::testing::Test {
protected:
    void SetUp() override {
        if (!shared_redis().available()) GTEST_SKIP() << shared_redis().why_unavailable();
        ASSERT_TRUE(shared_redis().running()) << "redis-server did not start";
        prefix = unique_prefix();
        bus_a = redis_bus(shared_redis().port(), prefix, "node-a");
        bus_b = redis_bus(shared_redis().port(), prefix, "node-b");
        bus_a->subscribe(ra.handler());
        bus_b->subscribe(rb.handler());
        ASSERT_TRUE(wait_until([&] { return bus_a->healthy() && bus_b->healthy(); }, 10s));
    }
    std::string prefix;
    Recorder ra, rb;
    std::unique_ptr<RedisBus> bus_a, bus_b;
};
}  // namespace

TEST_F(TwoNodes, FramesCrossInPublishOrderAndOnce) {
    std::vector<std::pair<int64_t, std::string>> want;
    for (int i = 0; i < 300; ++i) {
        bus_b->publish({1}, text("m" + std::to_string(i)));
        want.emplace_back(1, "m" + std::to_string(i));
    }
    ASSERT_TRUE(wait_until([&] { return ra.n_delivered() >= 300; }));
    bus_a->publish({9}, text("back"));
    ASSERT_TRUE(wait_until([&] { return rb.n_delivered() >= 301; }));
    EXPECT_EQ(ra.got().size(), 301u);
    auto got_a = ra.got();
    got_a.pop_back();
    EXPECT_EQ(got_a, want);            // A: B's frames in order, once
    auto got_b = rb.got();             // B: its own frames locally (once: echo ignored), then A's
    ASSERT_EQ(got_b.size(), 301u);
    got_b.pop_back();
    EXPECT_EQ(got_b, want);
    EXPECT_EQ(rb.got().back(), (std::pair<int64_t, std::string>{9, "back"}));
}

TEST_F(TwoNodes, OwnEchoIsNotDeliveredTwice) {
    bus_a->publish({3}, text("once"));
    EXPECT_EQ(ra.n_delivered(), 1u);   // local delivery is synchronous
    ASSERT_TRUE(wait_until([&] { return rb.n_delivered() == 1; }));
    // B's marker comes after A's echo on the one channel: once A has it, the echo has been read.
    bus_b->publish({4}, text("marker"));
    ASSERT_TRUE(wait_until([&] { return ra.n_delivered() >= 2; }));
    EXPECT_EQ(ra.got(), (std::vector<std::pair<int64_t, std::string>>{{3, "once"}, {4, "marker"}}));
}

TEST_F(TwoNodes, AMessageFromAnotherClusterIsIgnored) {
    auto other = redis_bus(shared_redis().port(), prefix + ".other", "node-c");
    ASSERT_TRUE(wait_until([&] { return other->healthy(); }, 10s));
    other->publish({1}, text("elsewhere"));
    bus_b->publish({1}, text("here"));
    ASSERT_TRUE(wait_until([&] { return ra.n_delivered() >= 1; }));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(ra.got(), (std::vector<std::pair<int64_t, std::string>>{{1, "here"}}));
}

namespace {
// A socket for the hub whose state the test reads from another thread.
struct SyncConnection : Connection {
    explicit SyncConnection(uint64_t i) : id_(i) {}
    uint64_t id() const override { return id_; }
    void send(const Frame&) override {}
    void close(int code, const std::string&) override {
        int zero = 0;
        closed_with.compare_exchange_strong(zero, code);
    }
    uint64_t id_;
    std::atomic<int> closed_with{0};
};
}  // namespace

TEST_F(TwoNodes, SimultaneousLoginsOnTwoNodesLeaveExactlyTheNewest) {
    Hub hub_a(*bus_a), hub_b(*bus_b);
    // Watch the channel: each kick carries its login number; the highest is the newest login.
    RedisClient watch(shared_redis().port());
    ASSERT_TRUE(watch.ok());
    const std::string channel = prefix + ":bus";
    ASSERT_EQ(watch.command({"SUBSCRIBE", channel}).type, imchat::server::resp::Value::Type::Array);

    for (int round = 0; round < 20; ++round) {
        const int64_t user = 1000 + round;
        // Same connection id on both nodes on purpose: ids are only unique per process.
        auto ca = std::make_shared<SyncConnection>(round + 1);
        auto cb = std::make_shared<SyncConnection>(round + 1);
        std::atomic<bool> go{false};
        std::thread ta([&] { while (!go) {} hub_a.attach(user, ca); });
        std::thread tb([&] { while (!go) {} hub_b.attach(user, cb); });
        go = true;
        ta.join();
        tb.join();

        // The two kicks as Redis ordered them: "K|<node>|<user>|<keep>|<n>".
        std::string newest_node;
        int64_t newest_n = -1;
        for (int k = 0; k < 2;) {
            auto v = watch.read();
            ASSERT_EQ(v.type, imchat::server::resp::Value::Type::Array) << "watcher: " << v.str;
            const std::string& m = v.elements.at(2).str;
            if (m.rfind("K|", 0) != 0) continue;   // probes
            ++k;
            const std::string node = m.substr(2, m.find('|', 2) - 2);
            const int64_t n = std::stoll(m.substr(m.rfind('|') + 1));
            if (n > newest_n) { newest_n = n; newest_node = node; }
        }
        ASSERT_TRUE(wait_until([&] { return (ca->closed_with != 0) + (cb->closed_with != 0) == 1; }, 2000ms))
            << "round " << round << ": a closed " << ca->closed_with << ", b closed " << cb->closed_with;
        std::this_thread::sleep_for(30ms);   // and it stays that way
        EXPECT_EQ((ca->closed_with != 0) + (cb->closed_with != 0), 1) << "round " << round;
        auto& survivor = newest_node == "node-a" ? ca : cb;
        auto& loser = newest_node == "node-a" ? cb : ca;
        EXPECT_EQ(survivor->closed_with, 0) << "round " << round << ": the newest login (" << newest_node << ") died";
        EXPECT_EQ(loser->closed_with, 4001) << "round " << round;
        EXPECT_EQ(hub_a.is_online(user) + hub_b.is_online(user), 1) << "round " << round;
    }
}

TEST_F(TwoNodes, PresenceIsClusterWide) {
    // Each node's writes leave on its own connection: another node sees them a moment later.
    bus_a->set_online(5, true);
    EXPECT_TRUE(wait_until([&] { return bus_b->online({5, 6}) == std::vector<bool>{true, false}; }, 2000ms))
        << "A's user, asked on B";
    bus_b->set_online(6, true);
    EXPECT_TRUE(wait_until([&] { return bus_a->online({5, 6}) == std::vector<bool>{true, true}; }, 2000ms));
    bus_a->set_online(5, false);
    EXPECT_TRUE(wait_until([&] { return bus_b->online({5}) == std::vector<bool>{false}; }, 2000ms));
}

TEST_F(TwoNodes, HubsShareOnlineState) {
    Hub hub_a(*bus_a), hub_b(*bus_b);
    auto first = std::make_shared<SyncConnection>(Hub::next_connection_id());
    auto second = std::make_shared<SyncConnection>(Hub::next_connection_id());
    ASSERT_TRUE(hub_a.attach(8, first));
    EXPECT_TRUE(wait_until([&] { return hub_b.online({8}) == std::vector<bool>{true}; }, 2000ms));
    EXPECT_FALSE(hub_b.is_online(8));
    ASSERT_TRUE(hub_b.attach(8, second));   // moves the user to B (A's socket is kicked)
    ASSERT_TRUE(wait_until([&] { return first->closed_with != 0; }, 2000ms));
    EXPECT_TRUE(wait_until([&] { return hub_a.online({8}) == std::vector<bool>{true}; }, 2000ms));
    hub_b.detach(8, *second);
    EXPECT_TRUE(wait_until([&] { return hub_a.online({8}) == std::vector<bool>{false}; }, 2000ms));
}

// A node that dies without a word (SIGKILL: nothing removes its keys) stops renewing
// its presence: its users read offline within presence_ttl; a live node's stay online.
TEST_F(TwoNodes, ASilentlyDeadNodesUsersGoOfflineWithinTheTtl) {
    EXPECT_LE(RedisBusConfig{}.presence_ttl, 10s) << "the default: offline within ~10 s";
    RedisBusConfig cfg;
    cfg.port = shared_redis().port();
    cfg.prefix = prefix;
    cfg.node_id = "node-c";
    cfg.probe_every = 200ms;
    cfg.presence_ttl = 1000ms;
    auto c = make_redis_bus(cfg);
    ASSERT_TRUE(wait_until([&] { return c->healthy(); }, 10s));
    c->set_online(31, true);
    bus_a->set_online(32, true);
    EXPECT_TRUE(wait_until([&] { return bus_a->online({31, 32}) == std::vector<bool>{true, true}; }, 2000ms));
    std::this_thread::sleep_for(2500ms);   // 2.5 TTLs: renewed by c's probe tick
    EXPECT_EQ(bus_a->online({31}), std::vector<bool>{true}) << "a live node's key is renewed";
    c.reset();                             // gone, its key left behind
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(wait_until([&] { return bus_a->online({31}) == std::vector<bool>{false}; }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
    EXPECT_TRUE(wait_until([&] { return bus_b->online({32}) == std::vector<bool>{true}; }, 2000ms));
}

TEST_F(TwoNodes, ALaterLoginElsewhereKicksTheEarlierOne) {
    Hub hub_a(*bus_a), hub_b(*bus_b);
    auto first = std::make_shared<SyncConnection>(1);
    auto second = std::make_shared<SyncConnection>(1);
    hub_a.attach(77, first);
    std::this_thread::sleep_for(50ms);
    const auto t0 = std::chrono::steady_clock::now();
    hub_b.attach(77, second);
    ASSERT_TRUE(wait_until([&] { return first->closed_with != 0; }, 1000ms));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    EXPECT_EQ(first->closed_with, 4001);
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(second->closed_with, 0);
}

// Redis goes away and comes back: unhealthy within 10 s, publishes never block,
// healthy again after the restart, frames cross again. The hub closes its
// sockets with 1012 when the bus turns unhealthy.
TEST(RedisBusOutage, KilledAndRestarted) {
    RedisServer server;
    if (!server.available()) GTEST_SKIP() << server.why_unavailable();
    ASSERT_TRUE(server.running());
    Recorder ra, rb;
    auto a = redis_bus(server.port(), "outage", "node-a");
    auto b = redis_bus(server.port(), "outage", "node-b");
    a->subscribe(ra.handler());
    b->subscribe(rb.handler());
    Hub hub_a(*a);
    auto sock = std::make_shared<SyncConnection>(1);
    ASSERT_TRUE(wait_until([&] { return a->healthy() && b->healthy(); }, 10s));
    hub_a.attach(5, sock);
    a->set_online(42, true);   // presence survives the restart (rewritten on reconnect)

    server.kill_now();
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(wait_until([&] { return !a->healthy() && !b->healthy(); }, 10s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
    EXPECT_EQ(ra.got_health(), (std::vector<bool>{true, false}));
    EXPECT_TRUE(wait_until([&] { return sock->closed_with == 1012; }, 1000ms));
    // A socket attaching now is refused at once: 1013, the client backs off and retries.
    auto late = std::make_shared<SyncConnection>(2);
    EXPECT_FALSE(hub_a.attach(6, late));
    EXPECT_EQ(late->closed_with, 1013);
    EXPECT_EQ(b->online({42}), std::vector<bool>{false}) << "unhealthy: this node's users only";
    EXPECT_EQ(a->online({42}), std::vector<bool>{true});

    const auto p0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 10000; ++i) b->publish({5}, text("lost"));
    for (int i = 0; i < 100; ++i) b->kick(5, 1);
    EXPECT_LT(std::chrono::steady_clock::now() - p0, 2s) << "publish blocked during the outage";
    EXPECT_GE(b->stats().dropped, 10100u);
    EXPECT_EQ(rb.n_delivered(), 10000u);   // local delivery still happens

    ASSERT_TRUE(server.start());
    ASSERT_TRUE(wait_until([&] { return a->healthy() && b->healthy(); }, 10s));
    EXPECT_GE(a->stats().reconnects, 1u);
    EXPECT_EQ(ra.got_health(), (std::vector<bool>{true, false, true}));
    EXPECT_EQ(b->online({42, 5}), (std::vector<bool>{true, false})) << "a's users rewritten into the new Redis";
    b->publish({5}, text("after"));
    ASSERT_TRUE(wait_until([&] { return ra.n_delivered() == 1; }));
    EXPECT_EQ(ra.got().back().second, "after");
}

// Redis stops answering but keeps the sockets open (a frozen server, a silent
// network): only the probe can notice. Unhealthy within 10 s; back after it resumes.
TEST(RedisBusOutage, SilentSubscriptionIsNoticedByTheProbe) {
    RedisServer server;
    if (!server.available()) GTEST_SKIP() << server.why_unavailable();
    ASSERT_TRUE(server.running());
    auto a = redis_bus(server.port(), "silent", "node-a");
    ASSERT_TRUE(wait_until([&] { return a->healthy(); }, 10s));
    server.pause();
    const auto t0 = std::chrono::steady_clock::now();
    const bool noticed = wait_until([&] { return !a->healthy(); }, 12s);
    const auto took = std::chrono::steady_clock::now() - t0;
    for (int i = 0; i < 1000; ++i) a->publish({1}, text("x"));   // never blocks
    EXPECT_LT(std::chrono::steady_clock::now() - t0 - took, 1s);
    server.resume();
    ASSERT_TRUE(noticed);
    EXPECT_LT(took, 10s);
    EXPECT_TRUE(wait_until([&] { return a->healthy(); }, 10s));
}
