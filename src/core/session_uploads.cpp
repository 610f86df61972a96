// Session: photo, voice, file and video messages (issue 13). A picked photo or file, or
// a recording, shows at once as a pending bubble in the conversation it was made in;
// its upload reports progress, can be cancelled (the request is aborted, the bubble
// removed), and a failed one goes again by a tap like a failed text. Once uploaded the
// message is sent as any other (send_message), even if the reader has moved on.
// State: MediaUploads in core/uploads.hpp (Delivery::uploads).
#include <algorithm>

#include "core/media.hpp"
#include "core/media_options.hpp"
#include "core/session.hpp"
#include "core/url.hpp"

namespace imchat::core {

namespace {
bool network_trouble(int status) { return status == 0 || status >= 500 || status == 429 || status == 408; }
}  // namespace

const MediaUpload* Session::upload_of(const Message& m) const {
    if (m.id != 0) return nullptr;
    auto it = delivery_.uploads.find(m.client_msg_id);
    return it == delivery_.uploads.end() ? nullptr : &it->second;
}

void Session::refuse_blob(int blob, int poster_blob, std::vector<Action>& out) {
    if (blob || poster_blob) out.push_back(act::DropUpload{0, blob, poster_blob});
}

void Session::fail_pending_uploads(std::vector<Action>& out) {
    for (auto& [id, u] : delivery_.uploads) {
        if (!u.http_id) continue;
        out.push_back(act::DropUpload{u.http_id, 0, 0});   // aborts the request; the Blobs stay for a retry
        u.http_id = 0;
        delivery_.store.fail(id, SendError{std::string(tr(lang_, Str::NetworkError)), true});
        changed_ = true;
    }
}

void Session::on_upload(const ev::UploadImage& e, std::vector<Action>& out) {
    if (e.blob == 0 || !can_send()) return refuse_blob(e.blob, 0, out);
    MediaUpload u;
    u.kind = "image";
    u.blob = e.blob;
    u.preview = e.preview.rfind("blob:", 0) == 0 ? e.preview : std::string();   // the page's object URL only
    begin_upload(std::move(u), "image", "", out);
}

void Session::on_upload_media(const ev::UploadMedia& e, std::vector<Action>& out) {
    if (e.blob == 0 || !can_send() || (e.kind != "file" && e.kind != "video")) return refuse_blob(e.blob, e.poster_blob, out);
    MediaUpload u;
    u.kind = e.kind;
    u.blob = e.blob;
    u.poster_blob = e.kind == "video" ? e.poster_blob : 0;
    u.name = e.name;
    u.size = std::max<int64_t>(0, e.size);
    u.duration = std::max(0.0, e.duration);
    u.total = u.size;
    const std::string options = e.kind == "file" ? file_options({u.name, u.size}) : video_options({"", u.duration});
    begin_upload(std::move(u), e.kind, options, out);
}

void Session::begin_upload(MediaUpload u, const std::string& type, const std::string& options,
                           std::vector<Action>& out) {
    notice_.clear();
    Message m;
    m.from_id = user_.id;
    m.from_name = user_.display_name();
    m.from_avatar = user_.avatar;
    m.to_id = nav_.open->id;
    m.chat_type = nav_.open->chat_type;
    m.type = type;
    m.options = options;
    m.create_time = now_;
    m.client_msg_id = new_uuid();
    m.status = SendStatus::Pending;
    delivery_.store.upsert(*nav_.open, m);
    delivery_.uploads.emplace(m.client_msg_id, std::move(u));
    start_upload(m.client_msg_id, out);
}

// The poster first (a video's), then the file itself; the page keeps both Blobs.
void Session::start_upload(const std::string& id, std::vector<Action>& out) {
    MediaUpload& u = delivery_.uploads.at(id);
    delivery_.store.set_status(id, SendStatus::Pending);
    u.loaded = 0;
    const bool poster = u.poster_blob != 0 && u.poster_url.empty();
    act::Http h = api::upload(poster ? u.poster_blob : u.blob);
    if (!poster && !u.name.empty()) h.url += "?name=" + percent_encode(u.name);
    h.keep_blob = true;
    http(std::move(h), req::MediaUpload{id, poster}, out);
    u.http_id = std::get<act::Http>(out.back()).id;
    changed_ = true;
}

bool Session::retry_upload(const std::string& id, std::vector<Action>& out) {
    auto it = delivery_.uploads.find(id);
    if (it == delivery_.uploads.end()) return false;
    if (it->second.http_id == 0) {
        if (const SendError* e = delivery_.store.error(id); e && !e->retry) return true;   // refused: only cancel
        start_upload(id, out);
    }
    return true;
}

void Session::on_upload_progress(const ev::UploadProgress& e) {
    for (auto& [id, u] : delivery_.uploads) {
        if (u.http_id != e.http_id || e.http_id == 0) continue;
        const auto q = inflight_.find(e.http_id);
        const auto* mu = q == inflight_.end() ? nullptr : std::get_if<req::MediaUpload>(&q->second);
        if (!mu || mu->poster) return;   // the poster's bytes are not the file's
        const int before = static_cast<int>(u.progress() * 100);
        u.loaded = std::max<int64_t>(0, e.loaded);
        if (e.total > 0) u.total = e.total;
        if (static_cast<int>(u.progress() * 100) != before) changed_ = true;   // redraw per percent
        return;
    }
}

void Session::on_cancel_upload(const ev::CancelUpload& e, std::vector<Action>& out) {
    drop_pending(e.client_msg_id, out);
}

void Session::drop_pending(const std::string& id, std::vector<Action>& out) {
    auto it = delivery_.uploads.find(id);
    if (it == delivery_.uploads.end()) return;
    const MediaUpload u = it->second;
    delivery_.uploads.erase(it);
    if (u.http_id) inflight_.erase(u.http_id);   // its answer, if one still comes, is ignored
    delivery_.store.remove_unsent(id);
    delivery_.send_deadlines.erase(id);
    out.push_back(act::DropUpload{u.http_id, u.blob, u.poster_blob});
    mark_cache_dirty();
}

void Session::answer(const req::MediaUpload& q, const ApiResult& r, int status, std::vector<Action>& out) {
    auto it = delivery_.uploads.find(q.client_msg_id);
    if (it == delivery_.uploads.end()) return;   // cancelled
    MediaUpload& u = it->second;
    u.http_id = 0;
    const api::Uploaded up = api::read_upload(r.data);
    if ((!r.ok || up.url.empty()) && q.poster && !network_trouble(status)) {
        u.poster_blob = 0;   // the poster refused: the video goes without one
        start_upload(q.client_msg_id, out);
        return;
    }
    if (!r.ok || up.url.empty()) {
        // Network trouble can go again (a tap); a refusal (too large, quota) says why.
        const bool retry = network_trouble(status);
        // Under the bubble: "网络错误，点按重试" (as a text's), not "上传失败，请重试，点按重试".
        std::string reason = status == 0          ? std::string(tr(lang_, Str::NetworkError))
                             : r.reason().empty() ? std::string(tr(lang_, Str::UploadFailed))
                                                  : r.reason();
        delivery_.store.fail(q.client_msg_id, SendError{reason, retry});
        if (!retry) notify(reason);
        persist_outbox(out);   // what else is unsent (this one's Blob does not survive a reload)
        return;
    }
    if (q.poster) {   // the poster is an image of ours: its URL goes in the options
        u.poster_url = up.kind.empty() || up.kind == "image" ? up.url : std::string();
        if (u.poster_url.empty()) u.poster_blob = 0;   // not an image after all: send without one
        start_upload(q.client_msg_id, out);
        return;
    }
    // A photo the server judged no image, or a recording no audio, is not sent as one (the
    // server would refuse it): the bubble goes and the user is told.
    if ((u.kind == "image" || u.kind == "audio") && !up.kind.empty() && up.kind != u.kind) {
        notify(tr(lang_, u.kind == "image" ? Str::ImagesOnly : Str::VoiceFailed));
        drop_pending(q.client_msg_id, out);
        return;
    }
    // Sent as what the server judged it to be: a picked "file" that is a video is a video.
    std::string type = up.kind.empty() ? u.kind : up.kind;
    std::string options;
    if (type == "video") options = video_options({u.poster_url, u.duration});
    else if (type == "file") options = file_options({u.name, u.size});
    else if (type == "audio") options = audio_options(static_cast<int>(u.duration));
    else if (type != "image") type = "file";
    out.push_back(act::DropUpload{0, u.blob, u.poster_blob});
    delivery_.uploads.erase(it);
    delivery_.store.set_content(q.client_msg_id, type, up.url, options);
    for (const auto& [k, v] : delivery_.store.all())
        for (const Message& m : v)
            if (m.id == 0 && m.client_msg_id == q.client_msg_id) {
                const Message copy = m;
                send_message(copy, out);
                persist_outbox(out);
                return;
            }
}

Json Session::media_snapshot(const Message& m) const {
    Json j = Json::object();
    if (m.type == "file") {
        const FileInfo f = read_file_options(m.options);
        j["file_name"] = f.name;
        j["file_size"] = f.size;
    } else if (m.type == "video") {
        const VideoInfo v = read_video_options(m.options);
        j["poster"] = v.poster;
        j["duration"] = v.duration;
    }
    if (const MediaUpload* u = upload_of(m)) j["upload_progress"] = u->http_id ? u->progress() : 0.0;
    return j;
}

}  // namespace imchat::core
