// imchat::core voice messages (type `audio`, issue 13): what their `options` carry, and the
// client's bookkeeping for them - which received ones were played (the unplayed red dot,
// remembered on this device in localStorage under kKeyPlayed) and which one plays now (one
// at a time: the page's single <audio> element reports it through ev::VoiceState).
#pragma once
#include <cstdint>
#include <deque>
#include <set>
#include <string>

#include "protocol/message.hpp"

namespace imchat::core {

inline constexpr const char* kKeyPlayed = "imchat.played";
inline constexpr int kVoiceMaxSeconds = 60;   // the recorder sends at 60 s

// `options` of an audio message: URI-encoded JSON {"duration": <seconds>} (the reference's
// form). Seconds are rounded, clamped to [0, 3600]; anything malformed (not URI-encoded JSON,
// not an object, a missing, negative or non-numeric duration) reads as 0. Never throws.
int         audio_duration(const std::string& options);
// The options the client sends: encodeURIComponent(JSON.stringify({duration: seconds})).
std::string audio_options(int seconds);

class Media {
public:
    static constexpr size_t kKeep = 1000;   // played ids remembered (the oldest are forgotten)

    // Played: mine always (no dot on my own voice), received ones once played here.
    bool    played(const protocol::Message& m, int64_t me) const;
    // Marks a received message played; true if that changed anything (persist then).
    bool    mark_played(int64_t message_id);
    int64_t playing() const { return playing_; }   // the message id playing now, 0 if none
    void    set_playing(int64_t message_id, bool on);

    std::string to_json() const;                   // the kKeyPlayed value: [id, ...], oldest first
    void        load(const std::string& json);     // tolerant: anything malformed loads nothing

private:
    std::set<int64_t>   played_;
    std::deque<int64_t> order_;   // insertion order, to forget the oldest beyond kKeep
    int64_t             playing_ = 0;
};

}  // namespace imchat::core
