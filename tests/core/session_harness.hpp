// The session test harness: a Session driven with a manual clock and scripted
// replies. Shared by the tests of each session component (session_*_test.cpp).
#pragma once
#include <gtest/gtest.h>

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
