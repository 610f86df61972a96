// Session: voice messages (session_voice.cpp): upload then send `audio` with its duration;
// played state from the page's <audio> element, persisted, and in the snapshot.
#include "session_harness.hpp"

using namespace session_test;

namespace {
const char* kVoiceUrl = "/uploads/0123456789abcdef0123456789abcdef.weba";

Json voice_frame(int64_t id, int64_t seq, int64_t from, const std::string& options) {
    Json f = Harness::chat_frame(id, seq, from, kVoiceUrl);
    f["data"]["type"] = "audio";
    f["data"]["options"] = options;
    return f;
}

size_t voice_count(Harness& h) {
    size_t n = 0;
    for (const auto& m : h.s.open_messages()) n += m.type == "audio";
    return n;
}

const Json* snapshot_message(const Json& snap, int64_t id) {
    for (const Json& m : snap["open"]["messages"])
        if (m["id"] == id) return &m;
    return nullptr;
}
}  // namespace

TEST(SessionVoice, UploadThenSendAudioWithItsDuration) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadVoice{7, 3});
    // A pending voice bubble at once, with its duration.
    Json pending = h.s.snapshot()["open"]["messages"].back();
    EXPECT_EQ(pending["type"], "audio");
    EXPECT_EQ(pending["status"], "pending");
    EXPECT_EQ(pending["duration"], 3);
    EXPECT_EQ(pending["upload_progress"], 0.0);
    const act::Http up = h.one<act::Http>();
    EXPECT_EQ(up.url, std::string(kOrigin) + "/api/chat/upload");
    EXPECT_EQ(up.blob, 7);
    EXPECT_EQ(up.token, kToken);
    h.reply(up, 200, Harness::ok(Json{{"url", kVoiceUrl}, {"kind", "audio"}}));
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "audio");
    EXPECT_EQ(b["data"], kVoiceUrl);
    EXPECT_EQ(b["options"], "%7B%22duration%22%3A3%7D") << "encodeURIComponent(JSON.stringify({duration}))";
    const Json snap = h.s.snapshot();
    const Json& m = snap["open"]["messages"].back();
    EXPECT_EQ(m["type"], "audio");
    EXPECT_EQ(m["duration"], 3);
    EXPECT_EQ(m["played"], true) << "my own voice has no dot";
    EXPECT_TRUE(m.contains("status") && m.contains("client_msg_id")) << "existing fields kept";
}

TEST(SessionVoice, NothingIsSentForAShortOrForeignRecording) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadVoice{7, 0});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "under a second: not uploaded";
    h.feed(ev::UploadVoice{0, 5});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "no blob";
    h.feed(ev::UploadVoice{8, 500});
    const act::Http up = h.one<act::Http>();
    h.reply(up, 200, Harness::ok(Json{{"url", "/uploads/0123456789abcdef0123456789abcdef.webm"}, {"kind", "video"}}));
    EXPECT_TRUE(h.all<act::Http>().empty()) << "the server judged it no voice";
    EXPECT_EQ(h.one<act::DropUpload>().blob, 8) << "its Blob let go";
    EXPECT_TRUE(voice_count(h) == 0) << "its pending bubble removed";
    EXPECT_EQ(h.s.notice(), tr(Lang::ZhCN, Str::VoiceFailed));
    h.feed(ev::UploadVoice{9, 500});
    h.reply(h.one<act::Http>(), 200, Harness::ok(Json{{"url", kVoiceUrl}, {"kind", "audio"}}));
    EXPECT_EQ(Json::parse(h.http_to("sendmessage").body)["options"], "%7B%22duration%22%3A60%7D") << "60 s at most";
    h.feed(ev::UploadVoice{10, 2});
    h.reply(h.one<act::Http>(), 413, Harness::fail("语音不能超过10MB"));
    EXPECT_EQ(h.s.notice(), "语音不能超过10MB");
    EXPECT_EQ(h.s.snapshot()["open"]["messages"].back()["retry"], false) << "refused: cancel only";
}

// A recording whose upload met network trouble is kept as a failed bubble; a tap sends
// the same recording again (it used to be dropped with a notice).
TEST(SessionVoice, AFailedVoiceUploadGoesAgainByATap) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadVoice{7, 4});
    h.reply(h.one<act::Http>(), 0, Json());
    Json m = h.s.snapshot()["open"]["messages"].back();
    EXPECT_EQ(m["status"], "failed");
    EXPECT_EQ(m["retry"], true);
    EXPECT_TRUE(h.all<act::Http>().empty()) << "nothing sent";
    h.feed(ev::RetrySend{m["client_msg_id"].get<std::string>()});
    const act::Http again = h.one<act::Http>();
    EXPECT_EQ(again.blob, 7);
    h.reply(again, 200, Harness::ok(Json{{"url", kVoiceUrl}, {"kind", "audio"}}));
    const Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "audio");
    EXPECT_EQ(b["options"], "%7B%22duration%22%3A4%7D");
    EXPECT_EQ(b["client_msg_id"], m["client_msg_id"]);
}

TEST(SessionVoice, ReceivedVoiceIsUnplayedUntilItPlays) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketMessage{voice_frame(2001, 1, 99, "%7B%22duration%22%3A4%7D").dump()});
    h.feed(ev::SocketMessage{voice_frame(2002, 2, 99, "%7Bbroken").dump()});
    Json snap = h.s.snapshot();
    ASSERT_NE(snapshot_message(snap, 2001), nullptr);
    EXPECT_EQ((*snapshot_message(snap, 2001))["duration"], 4);
    EXPECT_EQ((*snapshot_message(snap, 2001))["played"], false);
    EXPECT_EQ((*snapshot_message(snap, 2002))["duration"], 0) << "malformed options: no duration, no crash";

    h.feed(ev::VoiceState{2001, true});
    EXPECT_EQ(persisted(h.last, kKeyPlayed), "[2001]");
    snap = h.s.snapshot();
    EXPECT_EQ((*snapshot_message(snap, 2001))["played"], true);
    EXPECT_EQ((*snapshot_message(snap, 2001))["playing"], true);
    EXPECT_EQ((*snapshot_message(snap, 2002))["played"], false);
    h.feed(ev::VoiceState{2002, true});   // the page switched: one at a time
    h.feed(ev::VoiceState{2001, false});  // the old one's late stop
    snap = h.s.snapshot();
    EXPECT_EQ((*snapshot_message(snap, 2001))["playing"], false);
    EXPECT_EQ((*snapshot_message(snap, 2002))["playing"], true);
    h.feed(ev::VoiceState{2002, false});
    EXPECT_EQ(persisted(h.last, kKeyPlayed), "<none>") << "stopping changes nothing stored";
    snap = h.s.snapshot();
    EXPECT_EQ((*snapshot_message(snap, 2002))["playing"], false);
}

TEST(SessionVoice, PlayedStateComesBackAfterAReload) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now, "", "", "[2001]"});
    EXPECT_TRUE(h.s.media().played(imchat::protocol::message_from_json(voice_frame(2001, 1, 99, "")["data"]), 10));
    EXPECT_FALSE(h.s.media().played(imchat::protocol::message_from_json(voice_frame(2003, 3, 99, "")["data"]), 10));
    Harness fresh;
    fresh.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, fresh.user_json().dump(), fresh.now, "", "", "{not json"});
    EXPECT_FALSE(fresh.s.media().played(imchat::protocol::message_from_json(voice_frame(2001, 1, 99, "")["data"]), 10));
}
