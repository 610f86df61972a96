// The session test harness: a Session driven with a manual clock and scripted
// replies. Shared by the tests of each session component (session_*_test.cpp).
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/session.hpp"

using namespace imchat::core;
using namespace imchat::protocol;   // close codes and error texts live in the wire layer

namespace session_test {


inline const char* kHref = "http://192.168.1.5:8080/?group=3";
inline const char* kOrigin = "http://192.168.1.5:8080";
inline const std::string kDevice = "0123456789abcdef0123456789abcdef0123";
inline const std::string kToken = std::string(64, 'a');

// A scripted server for counting round trips: group 3 with `count` messages (seq 1..count),
// its join policy and who belongs to it; the user is id 10. `modern`: it honours issue 11's
// optional request fields (visitorRegister join_group_id / latest, groupinfo ?latest=,
// groupInviteUser latest); false: a reference server that ignores them.
struct FakeServer {
    int policy = 0;
    bool modern = true;
    int count = 3;
    std::set<int64_t> members, pending;
    std::vector<std::string> asked;   // every path asked, in order

    static constexpr int64_t kUid = 10;
    static std::string path_of(const std::string& url) {
        const auto p = url.find("/api/");
        return url.substr(p == std::string::npos ? 0 : p);
    }
    static std::string query_value(const std::string& path, const std::string& key) {
        const auto q = path.find('?');
        if (q == std::string::npos) return "";
        const std::string qs = "&" + path.substr(q + 1);
        const auto at = qs.find("&" + key + "=");
        if (at == std::string::npos) return "";
        const auto from = at + key.size() + 2;
        return qs.substr(from, qs.find('&', from) - from);
    }
    Json message(int64_t seq) const {
        return Json{{"id", 1000 + seq}, {"seq", seq}, {"from_id", 99}, {"from_name", "群主"}, {"to_id", 3},
                    {"chatType", "group"}, {"type", "text"}, {"data", "消息" + std::to_string(seq)},
                    {"create_time", 1000 + seq}};
    }
    Json page(int limit, int64_t after, int64_t before) const {
        Json list = Json::array();
        std::vector<int64_t> seqs;
        for (int64_t q = 1; q <= count; ++q)
            if ((after < 0 || q > after) && (before <= 0 || q < before)) seqs.push_back(q);
        size_t from = 0;
        if (after < 0 && seqs.size() > static_cast<size_t>(limit)) from = seqs.size() - limit;   // the latest (or before) page
        for (size_t i = from; i < seqs.size() && (after < 0 || i < static_cast<size_t>(limit)); ++i) list.push_back(message(seqs[i]));
        return Json{{"list", list}};
    }
    bool member() const { return members.count(kUid) > 0; }
    Json group() const {   // as groupinfo / a join answer: members see the member list
        Json g{{"id", 3}, {"name", "扫码群"}, {"invite_confirm", policy}, {"status", 1}, {"user_id", 99},
               {"member_count", static_cast<int>(members.size()) + 1}};
        if (member()) {
            g["my_status"] = 1;
            g["group_users"] = Json::array({{{"user_id", 99}, {"status", 1}}, {{"user_id", kUid}, {"status", 1}}});
        } else if (pending.count(kUid)) {
            g["my_status"] = 2;
        }
        return g;
    }
    Json with_latest(Json g, int limit) const {
        if (modern && member() && limit > 0) g["latest"] = page(limit, -1, 0);
        return g;
    }
    std::pair<int, Json> serve(const act::Http& h) {
        const std::string path = path_of(h.url);
        asked.push_back(path.substr(0, path.find('?')));
        const Json body = h.body.empty() ? Json::object() : Json::parse(h.body);
        auto ok = [](const Json& d) { return std::pair<int, Json>{200, Json{{"msg", "ok"}, {"data", d}}}; };
        auto latest_of = [&](const Json& b) { return b.contains("latest") ? b["latest"].get<int>() : 0; };
        if (path.rfind("/api/visitorRegister", 0) == 0) {
            Json u{{"id", kUid}, {"username", "VIS01234567"}, {"role", "visitor"}, {"token", std::string(64, 'a')}};
            if (modern && body.contains("join_group_id") && body["join_group_id"] == 3) {
                if (!member() && policy == 0) { members.insert(kUid); pending.erase(kUid); }
                u["group"] = with_latest(group(), latest_of(body));
            }
            return ok(u);
        }
        if (path.rfind("/api/chat/groupinfo/3", 0) == 0) {
            const std::string n = query_value(path, "latest");
            return ok(with_latest(group(), n.empty() ? 0 : std::stoi(n)));
        }
        if (path.rfind("/api/chat/groupInviteUser", 0) == 0) {
            if (!member() && policy == 0) { members.insert(kUid); pending.erase(kUid); }
            if (!member()) {
                pending.insert(kUid);
                Json g = group();
                g["pending"] = true;
                return ok(g);
            }
            return ok(with_latest(group(), latest_of(body)));
        }
        if (path.rfind("/api/chat/history/group/3", 0) == 0) {
            const std::string a = query_value(path, "after_seq"), b = query_value(path, "before_seq");
            return ok(page(std::stoi(query_value(path, "limit")), a.empty() ? -1 : std::stoll(a), b.empty() ? 0 : std::stoll(b)));
        }
        if (path.rfind("/api/chat/conversationList", 0) == 0) return ok(Json::array());
        return ok(Json::object());
    }
};

struct Harness {
    Session s{[this] { return rnd; }};
    double rnd = 0.0;
    int64_t now = 1000;
    std::vector<Action> last;

    std::vector<Action>& feed(const Event& e) { last = s.handle(e); return last; }
    std::vector<Action>& tick(int64_t dt) { now += dt; return feed(ev::Tick{now}); }

    template <class A> std::vector<A> all() const {
        std::vector<A> v;
        for (auto& a : last) if (auto* p = std::get_if<A>(&a)) v.push_back(*p);
        return v;
    }
    template <class A> A one() const {
        auto v = all<A>();
        EXPECT_EQ(v.size(), 1u) << "expected exactly one action of this kind";
        return v.empty() ? A{} : v[0];
    }
    act::Http http_to(const std::string& path_part) const {
        for (auto& h : all<act::Http>()) if (h.url.find(path_part) != std::string::npos) return h;
        ADD_FAILURE() << "no HTTP request to " << path_part;
        return {};
    }
    void reply(const act::Http& h, int status, const Json& body) {
        feed(ev::HttpDone{h.id, status, body.dump()});
    }
    static Json ok(const Json& d) { return Json{{"msg", "ok"}, {"data", d}}; }
    static Json fail(const std::string& r) { return Json{{"msg", "fail"}, {"data", r}}; }

    Json user_json(int64_t id = 10) const {
        return Json{{"id", id}, {"username", "VIS01234567"}, {"role", "visitor"}, {"token", kToken}};
    }
    Json group_json(bool member, int policy = 0) const {
        Json g{{"id", 3}, {"name", "imchat 演示群"}, {"invite_confirm", policy}, {"member_count", 1}};
        if (member) g["group_users"] = Json::array({{{"user_id", 10}, {"status", 1}}});
        return g;
    }
    // Fresh device, scans group 3, registers, joins, lands in the chat, socket open.
    void bootstrap_to_chat() {
        feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", now});
        reply(http_to("/api/visitorRegister"), 200, ok(user_json()));
        const act::Http info = http_to("/api/chat/groupinfo/3");
        feed(ev::SocketOpened{});
        reply(info, 200, ok(group_json(true)));
        reply(http_to("/api/chat/history/group/3"), 200, ok(Json{{"list", Json::array()}}));
        EXPECT_EQ(s.connection(), Conn::Online);
        EXPECT_EQ(s.screen(), Screen::Chat);
    }
    // A registered user stored on this device opens group 3's chat (member, socket open),
    // whose history is `list`.
    void registered_to_chat(const Json& list = Json::array()) {
        Json user = user_json();
        user["role"] = "user";
        feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, user.dump(), now});
        const act::Http info = http_to("/api/chat/groupinfo/3");
        feed(ev::SocketOpened{});
        reply(info, 200, ok(group_json(true)));
        reply(http_to("/api/chat/history/group/3"), 200, ok(Json{{"list", list}}));
    }
    // Drives the session against `srv` until `done()`: each step answers, at once, every HTTP
    // request in flight (they travel in parallel) and opens the socket asked for in the step
    // before (in parallel too). Returns the steps taken, i.e. the sequential API round trips;
    // `steps` gets the paths in flight in each step. Starts from the actions of the last feed.
    int round_trips(FakeServer& srv, const std::function<bool()>& done,
                    std::vector<std::vector<std::string>>* steps = nullptr, int max = 8) {
        std::vector<act::Http> inflight = all<act::Http>();
        bool socket = !all<act::OpenSocket>().empty();
        int n = 0;
        while (!done() && n < max && (!inflight.empty() || socket)) {
            ++n;
            std::vector<std::string> paths;
            for (auto& h : inflight) paths.push_back(FakeServer::path_of(h.url));
            if (steps) steps->push_back(paths);
            std::vector<act::Http> next;
            bool next_socket = false;
            auto collect = [&] {
                for (auto& h : all<act::Http>()) next.push_back(h);
                next_socket = next_socket || !all<act::OpenSocket>().empty();
            };
            if (socket) { feed(ev::SocketOpened{}); collect(); }
            for (auto& h : inflight) {
                auto [status, body] = srv.serve(h);
                reply(h, status, body);
                collect();
            }
            inflight = std::move(next);
            socket = next_socket;
        }
        return n;
    }
    bool chat_drawn(size_t n) const { return s.screen() == Screen::Chat && s.open_messages().size() == n; }

    static Json chat_frame(int64_t id, int64_t seq, int64_t from, const std::string& text, const std::string& cmid = "") {
        return Json{{"type", "singleChat"}, {"timestamp", 1},
                    {"data", {{"id", id}, {"seq", seq}, {"from_id", from}, {"to_id", 3}, {"chatType", "group"},
                              {"type", "text"}, {"data", text}, {"client_msg_id", cmid}}}};
    }
};

// The value last persisted under `key` by these actions ("<none>" if none).
inline std::string persisted(const std::vector<Action>& acts, const std::string& key) {
    std::string v = "<none>";
    for (auto& a : acts)
        if (auto* p = std::get_if<act::Persist>(&a); p && p->key == key) v = p->value;
    return v;
}

}  // namespace session_test

using session_test::Harness;
using session_test::kHref;
using session_test::kOrigin;
using session_test::kDevice;
using session_test::kToken;
using session_test::persisted;
