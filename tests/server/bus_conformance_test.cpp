// Behaviour every Bus implementation keeps (see bus.hpp). Redis joins kBuses later.
#include <gtest/gtest.h>

#include <functional>

#include "server/bus/bus.hpp"

using namespace imchat::server;

namespace {
struct BusFactory {
    std::string name;
    std::function<std::unique_ptr<Bus>()> make;
};
const BusFactory kBuses[] = {{"memory", [] { return make_memory_bus(); }}};

struct Recorder {
    std::vector<std::pair<int64_t, std::string>> delivered;
    std::vector<std::pair<int64_t, uint64_t>> kicks;
    Bus::Handler handler() {
        return {[this](int64_t u, const Frame& f) { delivered.emplace_back(u, *f); },
                [this](int64_t u, uint64_t keep) { kicks.emplace_back(u, keep); }};
    }
};

class BusConformance : public ::testing::TestWithParam<BusFactory> {
protected:
    std::unique_ptr<Bus> bus = GetParam().make();
};
}  // namespace

TEST_P(BusConformance, EverySubscriberGetsFramesInPublishOrder) {
    Recorder a, b;
    bus->subscribe(a.handler());
    bus->subscribe(b.handler());
    bus->publish({1, 2}, std::make_shared<const std::string>("x"));
    bus->publish({1}, std::make_shared<const std::string>("y"));
    const std::vector<std::pair<int64_t, std::string>> want{{1, "x"}, {2, "x"}, {1, "y"}};
    EXPECT_EQ(a.delivered, want);
    EXPECT_EQ(b.delivered, want);
}

TEST_P(BusConformance, KicksReachEverySubscriber) {
    Recorder a, b;
    bus->subscribe(a.handler());
    bus->subscribe(b.handler());
    bus->kick(7, 42);
    EXPECT_EQ(a.kicks, (std::vector<std::pair<int64_t, uint64_t>>{{7, 42}}));
    EXPECT_EQ(b.kicks, a.kicks);
}

TEST_P(BusConformance, PublishToNobodyIsHarmless) {
    Recorder a;
    bus->subscribe(a.handler());
    bus->publish({}, std::make_shared<const std::string>("x"));
    EXPECT_TRUE(a.delivered.empty());
}

INSTANTIATE_TEST_SUITE_P(All, BusConformance, ::testing::ValuesIn(kBuses),
                         [](const auto& info) { return info.param.name; });
