// File and video uploads (issue 13): a pending bubble at once, progress, cancel
// (aborted, removed), a failed upload retried like a failed text, then sent with
// its options; a video's poster goes first.
#include "session_harness.hpp"

#include "core/media_options.hpp"

using namespace session_test;

namespace {
const std::string kFileUrl = "/uploads/0123456789abcdef0123456789abcdef.bin";
const std::string kVideoUrl = "/uploads/0123456789abcdef0123456789abcdef.webm";
const std::string kPosterUrl = "/uploads/0123456789abcdef0123456789abcdef.jpg";

const Message& last(Harness& h) { return h.s.open_messages().back(); }
Json snap_last(Harness& h) { return h.s.snapshot()["open"]["messages"].back(); }
}  // namespace

TEST(SessionUploads, AFileShowsPendingWithProgressThenSendsItsNameAndSize) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadMedia{11, "file", "报告.pdf", 300 * 1024});
    const act::Http up = h.one<act::Http>();
    EXPECT_EQ(up.blob, 11);
    EXPECT_TRUE(up.keep_blob) << "kept for a retry";
    EXPECT_EQ(up.url, std::string(kOrigin) + "/api/chat/upload?name=" + percent_encode("报告.pdf"));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(last(h).type, "file");
    EXPECT_EQ(last(h).status, SendStatus::Pending);
    Json m = snap_last(h);
    EXPECT_EQ(m["file_name"], "报告.pdf");
    EXPECT_EQ(m["file_size"], 300 * 1024);
    EXPECT_EQ(m["upload_progress"], 0.0);

    h.feed(ev::UploadProgress{up.id, 153600, 307200});
    EXPECT_TRUE(h.s.changed());
    EXPECT_DOUBLE_EQ(snap_last(h)["upload_progress"].get<double>(), 0.5);
    h.feed(ev::UploadProgress{up.id, 153601, 307200});
    EXPECT_FALSE(h.s.changed()) << "redrawn per percent, not per event";
    h.feed(ev::UploadProgress{up.id + 99, 307200, 307200});
    EXPECT_NEAR(snap_last(h)["upload_progress"].get<double>(), 0.5, 0.001) << "another request's progress";

    h.reply(up, 200, Harness::ok(Json{{"url", kFileUrl}, {"kind", "file"}, {"name", "报告.pdf"}, {"size", 307200}}));
    const auto drops = h.all<act::DropUpload>();
    ASSERT_EQ(drops.size(), 1u);
    EXPECT_EQ(drops[0].blob, 11) << "the page may forget the Blob";
    EXPECT_EQ(drops[0].http_id, 0);
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "file");
    EXPECT_EQ(b["data"], kFileUrl);
    const FileInfo f = read_file_options(b["options"].get<std::string>());
    EXPECT_EQ(f.name, "报告.pdf");
    EXPECT_EQ(f.size, 307200);
    EXPECT_FALSE(snap_last(h).contains("upload_progress")) << "uploaded: no progress";
}

TEST(SessionUploads, CancelAbortsTheUploadAndRemovesTheBubble) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadMedia{12, "file", "big.bin", 40 << 20});
    const act::Http up = h.one<act::Http>();
    const std::string id = last(h).client_msg_id;
    h.feed(ev::CancelUpload{id});
    const act::DropUpload d = h.one<act::DropUpload>();
    EXPECT_EQ(d.http_id, up.id);
    EXPECT_EQ(d.blob, 12);
    EXPECT_TRUE(h.s.open_messages().empty());
    h.reply(up, 0, Json());   // the aborted request's answer
    EXPECT_TRUE(h.s.open_messages().empty());
    EXPECT_TRUE(h.all<act::Http>().empty());
}

TEST(SessionUploads, AFailedUploadIsRetriedByATapAndNotResentEmpty) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadMedia{13, "file", "a.zip", 1000});
    const std::string id = last(h).client_msg_id;
    h.reply(h.http_to("/api/chat/upload"), 0, Json());
    EXPECT_EQ(persisted(h.last, kKeyOutbox), "") << "a Blob does not survive a reload: not in the outbox";
    EXPECT_EQ(last(h).status, SendStatus::Failed);
    const SendError* err = h.s.send_error(last(h));
    ASSERT_NE(err, nullptr);
    EXPECT_TRUE(err->retry);
    EXPECT_EQ(snap_last(h)["retry"], true);
    EXPECT_TRUE(h.all<act::DropUpload>().empty()) << "the Blob is kept for the retry";
    // A reconnect resends failed texts; an upload not done has nothing to send.
    h.feed(ev::SocketClosed{1006, ""});
    h.tick(1000);
    h.feed(ev::SocketOpened{});
    for (const auto& x : h.all<act::Http>()) EXPECT_EQ(x.url.find("sendmessage"), std::string::npos);

    h.feed(ev::RetrySend{id});
    const act::Http again = h.one<act::Http>();
    EXPECT_EQ(again.blob, 13) << "the same Blob goes up again";
    EXPECT_EQ(last(h).status, SendStatus::Pending);
    h.feed(ev::RetrySend{id});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "one upload at a time";
    h.reply(again, 200, Harness::ok(Json{{"url", kFileUrl}, {"kind", "file"}}));
    EXPECT_EQ(Json::parse(h.http_to("sendmessage").body)["data"], kFileUrl);
}

TEST(SessionUploads, ARefusedUploadSaysWhyAndIsNotRetried) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadMedia{14, "file", "huge.bin", 60 << 20});
    h.reply(h.http_to("/api/chat/upload"), 413, Harness::fail("文件不能超过50MB"));
    EXPECT_EQ(last(h).status, SendStatus::Failed);
    EXPECT_EQ(h.s.notice(), "文件不能超过50MB");
    EXPECT_EQ(snap_last(h)["retry"], false);
    h.feed(ev::RetrySend{last(h).client_msg_id});
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.feed(ev::CancelUpload{last(h).client_msg_id});
    EXPECT_TRUE(h.s.open_messages().empty());
}

TEST(SessionUploads, AVideoUploadsItsPosterFirstThenSendsPosterAndDuration) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadMedia{15, "video", "clip.webm", 50000, 16, 3.26});
    const act::Http poster = h.one<act::Http>();
    EXPECT_EQ(poster.blob, 16);
    EXPECT_EQ(last(h).type, "video");
    EXPECT_DOUBLE_EQ(snap_last(h)["duration"].get<double>(), 3.3);
    h.feed(ev::UploadProgress{poster.id, 10, 20});
    EXPECT_DOUBLE_EQ(snap_last(h)["upload_progress"].get<double>(), 0.0) << "the poster's bytes are not the video's";
    h.reply(poster, 200, Harness::ok(Json{{"url", kPosterUrl}, {"kind", "image"}}));
    const act::Http video = h.one<act::Http>();
    EXPECT_EQ(video.blob, 15);
    h.reply(video, 200, Harness::ok(Json{{"url", kVideoUrl}, {"kind", "video"}}));
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "video");
    EXPECT_EQ(b["data"], kVideoUrl);
    const VideoInfo v = read_video_options(b["options"].get<std::string>());
    EXPECT_EQ(v.poster, kPosterUrl);
    EXPECT_DOUBLE_EQ(v.duration, 3.3);
    const act::DropUpload d = h.one<act::DropUpload>();
    EXPECT_EQ(d.blob, 15);
    EXPECT_EQ(d.poster_blob, 16);
    // A failed video retry does not upload the poster again.
}

TEST(SessionUploads, SentAsWhatTheServerJudged) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadMedia{17, "video", "x.avi", 1000});   // no poster: the browser could not read it
    h.reply(h.http_to("/api/chat/upload"), 200, Harness::ok(Json{{"url", kFileUrl}, {"kind", "file"}}));
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "file");
    EXPECT_EQ(read_file_options(b["options"].get<std::string>()).name, "x.avi");
}

TEST(SessionUploads, ReceivedFileAndVideoMessagesCarryTheirDetails) {
    Harness h;
    h.bootstrap_to_chat();
    Json f = Harness::chat_frame(7, 1, 20, kFileUrl);
    f["data"]["type"] = "file";
    f["data"]["options"] = file_options({"季度报告.docx", 12595});
    h.feed(ev::SocketMessage{f.dump()});
    Json m = snap_last(h);
    EXPECT_EQ(m["type"], "file");
    EXPECT_EQ(m["file_name"], "季度报告.docx");
    EXPECT_EQ(m["file_size"], 12595);
    Json v = Harness::chat_frame(8, 2, 20, kVideoUrl);
    v["data"]["type"] = "video";
    v["data"]["options"] = "%7Bbroken";
    h.feed(ev::SocketMessage{v.dump()});
    m = snap_last(h);
    EXPECT_EQ(m["type"], "video");
    EXPECT_EQ(m["poster"], "");
    EXPECT_EQ(m["duration"], 0.0);
}

// A guest whose token was refused registers again: its pending uploads' requests are
// forgotten, so they are aborted and shown failed (a tap uploads the same Blob again)
// instead of waiting forever at "uploading".
TEST(SessionUploads, AGuestsRefusedTokenFailsPendingUploadsForATap) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadImage{7});
    const act::Http up = h.one<act::Http>();
    h.feed(ev::SocketClosed{kCloseTokenInvalid, ""});
    const auto drops = h.all<act::DropUpload>();
    ASSERT_EQ(drops.size(), 1u);
    EXPECT_EQ(drops[0].http_id, up.id) << "the request aborted";
    EXPECT_EQ(drops[0].blob, 0) << "the Blob kept for the retry";
    Json m = snap_last(h);
    EXPECT_EQ(m["status"], "failed");
    EXPECT_EQ(m["retry"], true);
    h.reply(h.http_to("/api/visitorRegister"), 200, Harness::ok(h.user_json()));
    h.feed(ev::RetrySend{m["client_msg_id"].get<std::string>()});
    EXPECT_EQ(h.http_to("/api/chat/upload").blob, 7);
}

// A new identity (logout, sign-in, a kick) starts clean: pending uploads are aborted and
// their Blobs let go; a Blob the core will not upload (not in a chat) is let go at once.
TEST(SessionUploads, ANewIdentityAndARefusalLetTheBlobsGo) {
    Harness h;
    // Not in a chat: nothing uploaded, every Blob let go.
    h.feed(ev::UploadImage{5});
    EXPECT_EQ(h.one<act::DropUpload>().blob, 5);
    h.feed(ev::UploadVoice{6, 3});
    EXPECT_EQ(h.one<act::DropUpload>().blob, 6);
    h.feed(ev::UploadMedia{8, "video", "v.webm", 100, 9, 2.0});
    const act::DropUpload video = h.one<act::DropUpload>();
    EXPECT_EQ(video.blob, 8);
    EXPECT_EQ(video.poster_blob, 9);
    EXPECT_TRUE(h.all<act::Http>().empty());

    Harness k;
    k.registered_to_chat();
    k.feed(ev::UploadVoice{11, 4});
    const act::Http up = k.one<act::Http>();
    k.feed(ev::SocketClosed{kCloseTokenInvalid, ""});   // signed in elsewhere: this device becomes its guest
    const auto drops = k.all<act::DropUpload>();
    ASSERT_EQ(drops.size(), 1u);
    EXPECT_EQ(drops[0].http_id, up.id);
    EXPECT_EQ(drops[0].blob, 11);
    EXPECT_TRUE(k.s.open_messages().empty());
}
