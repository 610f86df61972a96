// Session: voice messages (issue 13). The page records and keeps the Blob; we upload it with
// our token and send an `audio` message with its URL and duration. Playback happens in the
// page (one <audio> element); it reports what plays, and a received voice message counts as
// played once it started playing here (remembered in localStorage, kKeyPlayed).
// State in core/media.hpp.
#include <algorithm>

#include "core/session.hpp"

namespace imchat::core {

void Session::on_upload_voice(const ev::UploadVoice& e, std::vector<Action>& out) {
    if (e.blob == 0 || e.seconds < 1 || !can_send()) return;
    notice_.clear();
    http(api::upload(e.blob), req::VoiceUpload{*nav_.open, std::min(e.seconds, kVoiceMaxSeconds)}, out);
}

void Session::answer(const req::VoiceUpload& q, const ApiResult& r, int, std::vector<Action>& out) {
    const api::Uploaded u = api::read_upload(r.data);
    if (!r.ok || u.url.empty()) {
        notify(r.reason().empty() ? tr(lang_, Str::UploadFailed) : r.reason());
        return;
    }
    if (!u.kind.empty() && u.kind != "audio") {   // the server judged the bytes something else
        notify(tr(lang_, Str::VoiceFailed));
        return;
    }
    // Sent to the conversation it was recorded in, only while that one is still open.
    if (nav_.open && *nav_.open == q.conv) on_send(ev::SendText{u.url, "audio", audio_options(q.seconds)}, out);
}

void Session::on_voice_state(const ev::VoiceState& e, std::vector<Action>& out) {
    media_.set_playing(e.message_id, e.playing);
    if (e.playing && media_.mark_played(e.message_id)) out.push_back(act::Persist{kKeyPlayed, media_.to_json()});
}

}  // namespace imchat::core
