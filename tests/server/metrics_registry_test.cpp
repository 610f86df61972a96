// Issue 14: the metrics registry (exposition format, concurrency), the hooks that move its
// values (messages in, deliveries out, refusals by reason, store timing), storage failures
// mapped to 503, and disabled accounts (403 with the reason; sockets closed with 4003).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cerrno>
#include <regex>
#include <sstream>
#include <system_error>
#include <thread>

#include "api_fixture.hpp"
#include "server/metrics/metrics.hpp"
#include "server/metrics/timed_store.hpp"
#include "server/ops/disabled_watch.hpp"
#include "server/store/store_errors.hpp"

using namespace imchat::server;
using namespace imchat::server::metrics;

namespace {

// The value of one sample line ("name{labels} value") in a rendered page; -1 if absent.
double sample(const std::string& page, const std::string& series) {
    std::istringstream in(page);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    return -1;
}

TEST(MetricsHistogram, CumulativeBucketsSumAndCount) {
    Histogram h({0.1, 1});
    h.observe(0.05);
    h.observe(0.5);
    h.observe(0.5);
    h.observe(7.0);
    std::string out;
    h.render(out, "t", "route=\"x\"");
    EXPECT_EQ(sample(out, "t_bucket{route=\"x\",le=\"0.1\"}"), 1);
    EXPECT_EQ(sample(out, "t_bucket{route=\"x\",le=\"1\"}"), 3);
    EXPECT_EQ(sample(out, "t_bucket{route=\"x\",le=\"+Inf\"}"), 4);
    EXPECT_NEAR(sample(out, "t_sum{route=\"x\"}"), 8.05, 1e-6);
    EXPECT_EQ(sample(out, "t_count{route=\"x\"}"), 4);
}

TEST(MetricsRegistry, EveryLineIsExpositionFormat) {
    const std::string page = registry().render();
    static const std::regex kSample(R"(^[a-z_]+(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? -?[0-9.e+]+$|^[a-z_]+_bucket\{.*le="\+Inf"\} [0-9]+$)");
    static const std::regex kComment(R"(^# (HELP|TYPE) [a-z_]+ .+$)");
    std::istringstream in(page);
    int samples = 0;
    for (std::string line; std::getline(in, line);) {
        ASSERT_TRUE(std::regex_match(line, kSample) || std::regex_match(line, kComment)) << line;
        samples += line[0] != '#';
    }
    EXPECT_GT(samples, 100);
    for (const char* name : {"imchat_sockets", "imchat_messages_in_total", "imchat_deliveries_out_total",
                             "imchat_fanout_queue_depth", "imchat_http_requests_in_flight"})
        EXPECT_GE(sample(page, name), 0) << name;
    EXPECT_NE(page.find("# TYPE imchat_http_request_duration_seconds histogram"), std::string::npos);
    EXPECT_NE(page.find("imchat_http_request_duration_seconds_count{route=\"/api/chat/socket/sendmessage\"}"),
              std::string::npos);
    EXPECT_NE(page.find("imchat_store_duration_seconds_count{op=\"append\"}"), std::string::npos);
    EXPECT_GE(sample(page, "imchat_refusals_total{reason=\"rate_limited\"}"), 0);
}

TEST(MetricsRegistry, UnknownRoutesShareOneLabel) {
    auto& other = registry().http("other");
    const auto before = other.count();
    registry().http("/api/chat/../../etc/passwd").observe(0.001);
    registry().http("/no/such/route").observe(0.001);
    EXPECT_EQ(other.count(), before + 2);
}

TEST(MetricsRegistry, CountersAreExactUnderConcurrency) {
    Counter c;
    Histogram h({0.5});
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < 100000; ++i) {
                c.inc();
                h.observe(0.25);
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(c.value(), 400000u);
    EXPECT_EQ(h.count(), 400000u);
}

TEST(StorageFailure, KnowsFullDiskReadOnlyAndIoErrors) {
    // SQLiteCpp builds its exception from a message and a result code.
    EXPECT_EQ(storage_failure(SQLite::Exception("database or disk is full", SQLITE_FULL)), "disk full");
    EXPECT_EQ(storage_failure(SQLite::Exception("readonly", SQLITE_READONLY)), "read-only");
    EXPECT_EQ(storage_failure(SQLite::Exception("io", SQLITE_IOERR_WRITE)), "I/O error");
    EXPECT_FALSE(storage_failure(SQLite::Exception("constraint", SQLITE_CONSTRAINT)));
    EXPECT_EQ(storage_failure(std::system_error(ENOSPC, std::generic_category())), "disk full");
    EXPECT_EQ(storage_failure(std::system_error(EROFS, std::generic_category())), "read-only");
    EXPECT_FALSE(storage_failure(std::system_error(ENOENT, std::generic_category())));
    EXPECT_FALSE(storage_failure(std::runtime_error("bug")));
}

// A Store that throws what SQLite throws on a full disk (SQLITE_FULL) from append_message
// while `full`; the real full disk (a small tmpfs) is tests/integration/full_disk.test.mjs.
class FullDiskStore final : public Store {
public:
    explicit FullDiskStore(Store& inner) : in_(inner) {}
    bool full = false;
#define FWD(sig, call) sig override { return in_.call; }
    FWD(UserRow visitor_for_device(const std::string& d, int64_t n), visitor_for_device(d, n))
    FWD(UserRow create_user(const std::string& u, const std::string& n, const std::string& r, int64_t t), create_user(u, n, r, t))
    FWD(std::optional<UserRow> user_by_id(int64_t id), user_by_id(id))
    std::optional<std::pair<UserRow, std::string>> credentials(const std::string& u) override { return in_.credentials(u); }
    FWD(void set_password_hash(int64_t id, const std::string& h), set_password_hash(id, h))
    FWD(std::optional<UserRow> user_by_token_hash(const std::string& h), user_by_token_hash(h))
    FWD(void set_token_hash(int64_t id, const std::string& h), set_token_hash(id, h))
    FWD(void set_nickname(int64_t id, const std::string& n), set_nickname(id, n))
    FWD(void set_avatar(int64_t id, const std::string& a), set_avatar(id, a))
    FWD(bool add_upload_bytes(int64_t u, int64_t d, int64_t b, int64_t l), add_upload_bytes(u, d, b, l))
    FWD(std::string userset(int64_t id), userset(id))
    FWD(void set_userset(int64_t id, const std::string& j), set_userset(id, j))
    FWD(bool upgrade_visitor(int64_t id, const std::string& u, const std::string& h), upgrade_visitor(id, u, h))
    FWD(std::optional<UserRow> set_user_status(const std::string& u, int s), set_user_status(u, s))
    FWD(std::vector<int64_t> disabled_user_ids(), disabled_user_ids())
    FWD(GroupRow create_group(int64_t o, const std::string& n, int i, int64_t t), create_group(o, n, i, t))
    FWD(std::optional<GroupRow> group_by_id(int64_t id), group_by_id(id))
    FWD(std::vector<GroupRow> groups_of_user(int64_t u, int o, int l), groups_of_user(u, o, l))
    FWD(int64_t group_count(), group_count())
    FWD(std::vector<MemberRow> members(int64_t g), members(g))
    FWD(std::optional<MemberRow> member(int64_t g, int64_t u), member(g, u))
    FWD(bool add_member(int64_t g, int64_t u, int s, int64_t n), add_member(g, u, s, n))
    FWD(void update_group(const GroupRow& g), update_group(g))
    FWD(void set_member_status(int64_t g, int64_t u, int s), set_member_status(g, u, s))
    FWD(void set_member_nickname(int64_t g, int64_t u, const std::string& n), set_member_nickname(g, u, n))
    FWD(void remove_member(int64_t g, int64_t u), remove_member(g, u))
    FWD(std::vector<int64_t> copy_memberships(int64_t f, int64_t t, int64_t n), copy_memberships(f, t, n))
    AppendResult append_message(const std::string& c, const imchat::protocol::Message& m) override {
        if (full) throw SQLite::Exception("database or disk is full", SQLITE_FULL);
        return in_.append_message(c, m);
    }
    FWD(std::vector<imchat::protocol::Message> messages_after(const std::string& c, int64_t a, int l), messages_after(c, a, l))
    FWD(std::vector<imchat::protocol::Message> messages_latest(const std::string& c, int l), messages_latest(c, l))
    FWD(std::vector<imchat::protocol::Message> messages_before(const std::string& c, int64_t b, int l), messages_before(c, b, l))
    FWD(int64_t last_seq(const std::string& c), last_seq(c))
    FWD(std::optional<imchat::protocol::Message> message_by_id(int64_t id), message_by_id(id))
    FWD(std::optional<imchat::protocol::Message> message_by_client_id(int64_t f, const std::string& c), message_by_client_id(f, c))
    FWD(void mark_removed(int64_t id), mark_removed(id))
    FWD(int64_t count_from(const std::string& c, int64_t f), count_from(c, f))
    FWD(std::string invite_code(int64_t u), invite_code(u))
    FWD(std::optional<UserRow> user_by_invite_code(const std::string& c), user_by_invite_code(c))
    FWD(void add_contact(int64_t a, int64_t b, int64_t n), add_contact(a, b, n))
    FWD(bool are_contacts(int64_t a, int64_t b), are_contacts(a, b))
    FWD(int64_t ack_cursor(int64_t u, const std::string& c), ack_cursor(u, c))
    FWD(void advance_ack_cursor(int64_t u, const std::string& c, int64_t s), advance_ack_cursor(u, c, s))
    FWD(bool in_conversation(int64_t u, const std::string& c), in_conversation(u, c))
    FWD(int64_t joined_seq(int64_t u, const std::string& c), joined_seq(u, c))
    FWD(int64_t delivered_cursor(int64_t u, const std::string& c), delivered_cursor(u, c))
    FWD(bool advance_delivered_cursor(int64_t u, const std::string& c, int64_t s), advance_delivered_cursor(u, c, s))
    FWD(int64_t advance_read_cursor(int64_t u, const std::string& c, int64_t s), advance_read_cursor(u, c, s))
    FWD(int64_t unread_count(int64_t u, const std::string& c), unread_count(u, c))
    FWD(void hide_conversation(int64_t u, const std::string& c), hide_conversation(u, c))
    FWD(std::vector<ConversationRow> conversations_of_user(int64_t u), conversations_of_user(u))
    FWD(std::vector<imchat::protocol::Message> take_undelivered(int64_t u, int p, int t), take_undelivered(u, p, t))
    FWD(std::vector<imchat::protocol::Message> unacked(int64_t u, int p, int t), unacked(u, p, t))
    FWD(void set_join_request(int64_t g, int64_t u, const std::string& r, int64_t n), set_join_request(g, u, r, n))
    FWD(void remove_join_request(int64_t g, int64_t u), remove_join_request(g, u))
    FWD(std::vector<JoinRequest> join_requests(int64_t g), join_requests(g))
    FWD(bool share_a_group(int64_t a, int64_t b), share_a_group(a, b))
    FWD(std::vector<UserRow> invite_candidates(int64_t u, int64_t g, int l), invite_candidates(u, g, l))
#undef FWD

private:
    Store& in_;
};

class ScopedOps : public imchat::server::testing::ApiFixture {};

TEST_F(ScopedOps, SendsAndDeliveriesMoveTheCounters) {
    auto a = user("alice1");
    auto b = user("bobby1");
    const int64_t gid = create_group(a);
    ASSERT_EQ(join(b, gid).status, 200);
    const auto in0 = registry().messages_in.value(), out0 = registry().deliveries_out.value();
    int status = 0;
    send(a, gid, "hello", &status);
    ASSERT_EQ(status, 200);
    EXPECT_EQ(registry().messages_in.value(), in0 + 1);
    EXPECT_GE(registry().deliveries_out.value(), out0 + 1);   // bob's socket (and alice's own)
}

TEST_F(ScopedOps, RefusalsAreCountedByReason) {
    const auto auth0 = registry().refusals(Reason::auth);
    EXPECT_EQ(call("GET", "/api/chat/userset", std::string(64, 'a')).status, 400);
    EXPECT_EQ(registry().refusals(Reason::auth), auth0 + 1);
    const auto busy0 = registry().refusals(Reason::overloaded), big0 = registry().refusals(Reason::too_large);
    fail(kErrBusy);
    fail(kErrBodyTooLarge);
    EXPECT_EQ(registry().refusals(Reason::overloaded), busy0 + 1);
    EXPECT_EQ(registry().refusals(Reason::too_large), big0 + 1);
}

TEST_F(ScopedOps, DisabledAccountIsRefusedWithTheReasonAndItsSocketClosed4003) {
    auto a = user("alice1");
    auto b = user("bobby1");
    ASSERT_EQ(call("GET", "/api/chat/userset", a.token).status, 200);
    ASSERT_TRUE(store->set_user_status("alice1", 0));
    auto r = call("GET", "/api/chat/userset", a.token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), std::string(kErrDisabled.text));
    r = call("POST", "/api/loginChat", "", Json{{"username", "alice1"}, {"password", "secret1"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), std::string(kErrDisabled.text));

    struct NoScheduler final : Scheduler {
        void after(int64_t, std::function<void()>) override {}
    } sched;
    DisabledWatch watch(*store, hub, sched, 0);
    EXPECT_EQ(watch.tick(), 1);
    EXPECT_EQ(a.sock->closed_with, 4003);
    EXPECT_EQ(b.sock->closed_with, 0);
    EXPECT_EQ(watch.tick(), 0) << "closed once";

    ASSERT_TRUE(store->set_user_status("alice1", 1));
    EXPECT_EQ(call("GET", "/api/chat/userset", a.token).status, 200) << "enabled: the token works again";
}

TEST(FullDiskApi, SendAnswers503WithTheReasonStoresNothingAndResumes) {
    auto real = make_sqlite_store(":memory:");
    FullDiskStore disk(*real);
    auto bus = make_memory_bus();
    Hub hub(*bus);
    Api api(disk, *bus, [] { return int64_t{1'700'000'000'000}; }, ApiConfig{"http://x"});
    auto call = [&](const std::string& method, const std::string& path, const std::string& token,
                    const imchat::protocol::Json& body) {
        Request r{method, path, "", token, body.is_null() ? "" : body.dump(), "10.0.0.1", ""};
        return *api.handle(r);
    };
    auto u = real->create_user("alice1", "", "user", 1);
    const std::string token = api.issue_token(u.id);
    const auto g = real->create_group(u.id, "g", 0, 1);
    auto msg = [&](const std::string& cmid) {
        return imchat::protocol::Json{{"sendto_id", g.id}, {"chatType", "group"}, {"type", "text"}, {"options", ""},
                                      {"data", "hi"}, {"client_msg_id", cmid}};
    };
    const auto storage0 = registry().refusals(Reason::storage);
    disk.full = true;
    auto r = call("POST", "/api/chat/socket/sendmessage", token, msg("c1"));
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.retry_after_s, 1);
    EXPECT_NE(r.body.find("storage full or read-only"), std::string::npos) << r.body;
    EXPECT_EQ(real->last_seq(conv_key("group", g.id)), 0) << "nothing stored";
    EXPECT_EQ(registry().refusals(Reason::storage), storage0 + 1);
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(g.id), token, nullptr).status, 200)
        << "reads keep working";
    disk.full = false;
    r = call("POST", "/api/chat/socket/sendmessage", token, msg("c1"));
    EXPECT_EQ(r.status, 200) << "writes resume: " << r.body;
    EXPECT_EQ(real->last_seq(conv_key("group", g.id)), 1);
}

TEST(TimedStoreTest, TimesEachCallByKind) {
    TimedStore s(make_sqlite_store(":memory:"));
    const auto reads0 = registry().store(StoreOp::read).count();
    const auto writes0 = registry().store(StoreOp::write).count();
    const auto appends0 = registry().store(StoreOp::append).count();
    auto u = s.create_user("alice1", "", "user", 1);
    s.user_by_id(u.id);
    imchat::protocol::Message m;
    m.from_id = u.id; m.to_id = 1; m.chat_type = "group"; m.data = "x"; m.create_time = 1;
    s.append_message(conv_key("group", 1), m);
    EXPECT_EQ(registry().store(StoreOp::write).count(), writes0 + 1);
    EXPECT_EQ(registry().store(StoreOp::read).count(), reads0 + 1);
    EXPECT_EQ(registry().store(StoreOp::append).count(), appends0 + 1);
}

}  // namespace
