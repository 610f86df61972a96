// Session: voice messages (issue 13). The page records and keeps the Blob; it uploads as a
// pending bubble (session_uploads.cpp) and goes as an `audio` message with its URL and duration. Playback happens in the
// page (one <audio> element); it reports what plays, and a received voice message counts as
// played once it started playing here (remembered in localStorage, kKeyPlayed).
// State in core/media.hpp.
#include <algorithm>

#include "core/session.hpp"

namespace imchat::core {

// Shown at once as a pending voice bubble; uploaded like any attachment (session_uploads.cpp),
// so a failed upload goes again by a tap and the x cancels it.
void Session::on_upload_voice(const ev::UploadVoice& e, std::vector<Action>& out) {
    if (e.blob == 0 || e.seconds < 1 || !can_send()) return refuse_blob(e.blob, 0, out);
    MediaUpload u;
    u.kind = "audio";
    u.blob = e.blob;
    u.duration = std::min(e.seconds, kVoiceMaxSeconds);
    begin_upload(std::move(u), "audio", audio_options(std::min(e.seconds, kVoiceMaxSeconds)), out);
}

void Session::on_voice_state(const ev::VoiceState& e, std::vector<Action>& out) {
    media_.set_playing(e.message_id, e.playing);
    if (e.playing && media_.mark_played(e.message_id)) out.push_back(act::Persist{kKeyPlayed, media_.to_json()});
}

}  // namespace imchat::core
