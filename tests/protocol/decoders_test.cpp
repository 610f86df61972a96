// Hostile input against every decoder and the Session, compiled with
// -fno-exceptions like the web client: there nlohmann aborts on any throw, so
// this executable dies if any path from network data can throw. It checks too
// that wrong input reads as defaults and that valid input still works after.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/api_client.hpp"
#include "core/session.hpp"
#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/group.hpp"
#include "protocol/message.hpp"
#include "protocol/user.hpp"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "decoders_test must be compiled with -fno-exceptions (as the web client is)"
#endif

using namespace imchat;
using protocol::Json;

namespace {

const char* kKeys[] = {"id", "seq", "from_id", "to_id", "chatType", "type", "data", "options", "create_time",
                       "isremove", "client_msg_id", "sendUUid", "actionType", "name", "member_count", "status",
                       "user_id", "invite_confirm", "my_status", "group_users", "last_seq", "list", "pending",
                       "url", "size", "rows", "chatset", "nickname", "token", "username", "role", "is_self",
                       "is_contact", "remark", "avatar", "user", "msg", "timestamp", "visitor", "sendCount"};

Json deep(int depth) {
    Json j = Json::array();
    for (int i = 0; i < depth; ++i) j = Json::array({j});
    return j;
}

// Values of every JSON type, with numbers where strings belong and the reverse.
std::vector<Json> odd_values() {
    return {Json(nullptr), Json(true), Json(-1), Json(0), Json("12"), Json("x"), Json(""), Json(1e300), Json(-1e300),
            Json(0.5), Json(INT64_MAX), Json(INT64_MIN), Json(UINT64_MAX), Json("99999999999999999999999"),
            Json::object(), Json{{"a", 1}}, Json::array(), Json::array({1, "a", nullptr, Json::object()}), deep(200)};
}

// Objects with every field we read set to one odd value, plus the odd values themselves.
std::vector<Json> odd_documents() {
    std::vector<Json> docs = odd_values();
    for (const Json& v : odd_values()) {
        Json o = Json::object();
        for (const char* k : kKeys) o[k] = v;
        docs.push_back(o);
        docs.push_back(Json::array({o, v}));
        docs.push_back(Json{{"list", Json::array({o, v})}, {"group_users", Json::array({o, v})},
                            {"chatset", {{"visitor", o}}}, {"rows", Json::array({v})}, {"user", o}});
    }
    return docs;
}

const std::vector<std::string> kRawTexts = {
    "", " ", "not json", "{", "}", "[", "{\"a\":", "nul", "1e999999", "\"\\ud800\"", "\xff\xfe",
    "{\"msg\":\"ok\",\"data\":", std::string(3000, '[') + std::string(3000, ']'), "{\"type\":\"singleChat\"}",
    "{\"type\":\"singleChat\",\"data\":null}", "{\"msg\":1,\"data\":{}}", "{\"msg\":\"fail\",\"data\":{\"x\":[1]}}",
    "{\"type\":[\"singleChat\"],\"data\":{}}", "{\"type\":\"system\",\"data\":{\"deep\":[[[[]]]]}}",
};

}  // namespace

TEST(Decoders, JsonReadersNeverFailOnOddValues) {
    for (const Json& v : odd_values()) {
        const Json o{{"k", v}};
        (void)protocol::read_int(o, "k");
        (void)protocol::read_str(o, "k");
        (void)protocol::read_bool(o, "k");
        (void)protocol::read_obj(o, "k");
        (void)protocol::read_arr(o, "k");
        EXPECT_EQ(protocol::read_int(v, "k", 7), 7) << "not an object: the default";
    }
    EXPECT_EQ(protocol::read_int(Json{{"k", 1e300}}, "k", 3), 3) << "out of range: the default";
    EXPECT_EQ(protocol::read_int(Json{{"k", "12"}}, "k"), 12);
    EXPECT_EQ(protocol::read_int(Json{{"k", "99999999999999999999999"}}, "k", 4), 4);
    for (const std::string& t : kRawTexts) EXPECT_TRUE(protocol::parse_json(t).is_discarded() || true);
    EXPECT_TRUE(protocol::parse_json("{").is_discarded());
}

TEST(Decoders, TypedReadersTakeAnything) {
    for (const Json& d : odd_documents()) {
        const protocol::Message m = protocol::message_from_json(d);
        EXPECT_TRUE(m.chat_type == "group" || m.chat_type == "single" || !m.chat_type.empty() || m.chat_type.empty());
        (void)protocol::to_json(m).dump();   // what we decoded can be encoded again
        const protocol::Group g = protocol::read_group(d);
        for (const auto& mem : g.members) (void)protocol::to_json(mem).dump();
        (void)protocol::read_group_list(d);
        (void)protocol::to_json(protocol::read_user(d)).dump();
        (void)protocol::read_contact_info(d);
        (void)core::api::read_history(d);
        (void)core::api::read_join(d);
        (void)core::api::read_qr(d);
        (void)core::api::read_send_count(d, 1);
        (void)core::api::read_upload(d);
        const std::string body = Json{{"msg", "ok"}, {"data", d}}.dump();
        for (int status : {0, 200, 400, 403, 500}) (void)protocol::parse_api_result(status, body).reason();
        (void)protocol::parse_server_frame(Json{{"type", "singleChat"}, {"data", d}, {"timestamp", d}}.dump());
        (void)protocol::parse_server_frame(Json{{"msg", "fail"}, {"data", d}}.dump());
        (void)protocol::parse_server_frame(d.dump());
    }
    for (const std::string& t : kRawTexts) {
        (void)protocol::parse_server_frame(t);
        EXPECT_FALSE(protocol::parse_api_result(200, t).ok && t.empty());
    }
    // Wrong types read as defaults, not as garbage.
    const protocol::Message m = protocol::message_from_json(Json{{"id", "42"}, {"data", 5}, {"chatType", {1}}});
    EXPECT_EQ(m.id, 42);
    EXPECT_EQ(m.data, "");
    EXPECT_EQ(m.chat_type, "group");
    EXPECT_EQ(protocol::read_group(Json{{"group_users", "x"}}).has_members, false);
    EXPECT_EQ(protocol::parse_api_result(200, "{\"msg\":\"ok\",\"data\":[1]}").data, Json::array({1}));
}

namespace {
struct Driver {
    core::Session s{[] { return 0.5; }};
    int64_t now = 1000;
    std::vector<core::Action> last;
    std::vector<core::act::Http> pending;

    void feed(const core::Event& e) {
        last = s.handle(e);
        for (auto& a : last)
            if (auto* h = std::get_if<core::act::Http>(&a)) pending.push_back(*h);
    }
    bool opened() const {
        for (auto& a : last) if (std::holds_alternative<core::act::OpenSocket>(a)) return true;
        return false;
    }
    // Answers every request in flight with `body` (and what those answers trigger, a few rounds).
    void answer_all(int status, const std::string& body) {
        for (int round = 0; round < 3 && !pending.empty(); ++round) {
            auto now_pending = std::move(pending);
            pending.clear();
            for (auto& h : now_pending) feed(core::ev::HttpDone{h.id, status, body});
        }
    }
    // Recovers with valid input: register if asked, connect, until online.
    void bring_online() {
        for (int i = 0; i < 60 && s.connection() != core::Conn::Online; ++i) {
            auto now_pending = std::move(pending);
            pending.clear();
            for (auto& h : now_pending)
                if (h.url.find("visitorRegister") != std::string::npos)
                    feed(core::ev::HttpDone{h.id, 200, R"({"msg":"ok","data":{"id":10,"username":"VIS1","role":"visitor","token":")" + std::string(64, 'a') + "\"}}"});
            if (opened()) feed(core::ev::SocketOpened{});
            else { now += 1000; feed(core::ev::Tick{now}); }
        }
    }
};
}  // namespace

TEST(Decoders, SessionSurvivesHostileSocketFramesAndAnswers) {
    Driver d;
    d.feed(core::ev::Start{"http://h:1/?group=3", "http://h:1", "zh-CN", "0123456789abcdef0123456789abcdef0123",
                           R"({"id":10,"username":"VIS1","role":"user","token":")" + std::string(64, 'a') + "\"}",
                           d.now, "[1,{\"from_id\":10,\"client_msg_id\":{}}]", "{\"user\":10,\"conversations\":5}"});
    d.feed(core::ev::SocketOpened{});
    const auto docs = odd_documents();
    std::vector<std::string> bodies(kRawTexts);
    for (const Json& doc : docs) {
        bodies.push_back(Json{{"msg", "ok"}, {"data", doc}}.dump());
        bodies.push_back(Json{{"msg", "fail"}, {"data", doc}}.dump());
        bodies.push_back(doc.dump());
    }
    // Every kind of request in flight, each answered with every hostile body.
    auto provoke = [&] {
        d.feed(core::ev::OpenConversation{{"group", 3}, ""});
        d.feed(core::ev::SendText{"hi"});
        d.feed(core::ev::UploadImage{1});
        d.feed(core::ev::LoadEarlier{});
        d.feed(core::ev::Recall{1});
        d.feed(core::ev::ShowGroupInfo{});
        d.feed(core::ev::GroupAction{"rename", 0, "n", 0});
        d.feed(core::ev::GroupAction{"quit", 0, "", 0});
        d.feed(core::ev::ShowSettings{});
        d.feed(core::ev::SaveSettings{"nick", -1, ""});
        d.feed(core::ev::SaveSettings{"", 2, ""});
        d.feed(core::ev::CreateGroup{"g"});
        d.feed(core::ev::ShowList{});
        d.feed(core::ev::RequestJoin{"r"});
        d.feed(core::ev::SignIn{"user", "secret", false});
        d.feed(core::ev::SignIn{"user", "secret", true});
        d.feed(core::ev::NetworkOnline{});
    };
    size_t i = 0;
    for (const std::string& body : bodies) {
        if (i++ % 7 == 0) d.bring_online();
        provoke();
        for (const Json& doc : {docs[i % docs.size()], docs[(i * 7) % docs.size()]}) {
            d.feed(core::ev::SocketMessage{Json{{"type", "singleChat"}, {"data", doc}}.dump()});
            d.feed(core::ev::SocketMessage{doc.dump()});
        }
        d.feed(core::ev::SocketMessage{body});
        d.answer_all(i % 3 == 0 ? 400 : 200, body);
        (void)d.s.snapshot().dump();   // the test hook serialises whatever we took in
        d.now += 300;
        d.feed(core::ev::Tick{d.now});
    }
    // Hostile seqs on live messages.
    d.bring_online();
    for (int64_t seq : {INT64_MAX, int64_t{-5}, int64_t{0}, INT64_MIN}) {
        d.feed(core::ev::SocketMessage{Json{{"type", "singleChat"},
                                            {"data", {{"id", 5}, {"seq", seq}, {"to_id", 3}, {"data", "s"}}}}.dump()});
        d.answer_all(200, R"({"msg":"ok","data":{"list":[]}})");
    }

    // Later valid input still works.
    d.bring_online();
    ASSERT_EQ(d.s.connection(), core::Conn::Online);
    d.feed(core::ev::SocketMessage{R"({"type":"singleChat","timestamp":1,"data":{"id":900001,"seq":7,"from_id":2,)"
                                   R"("to_id":77,"chatType":"group","type":"text","data":"still works"}})"});
    const auto& msgs = d.s.store().messages({"group", 77});
    ASSERT_FALSE(msgs.empty());
    EXPECT_EQ(msgs.back().data, "still works");
    EXPECT_EQ(d.s.snapshot()["connection"], "online");
}
