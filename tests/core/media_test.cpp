// Voice messages' options and played bookkeeping (core/media.hpp).
#include <gtest/gtest.h>

#include "core/media.hpp"

using namespace imchat::core;
namespace protocol = imchat::protocol;

TEST(Media, ReadsTheReferenceDurationForm) {
    // encodeURIComponent(JSON.stringify({duration: 7}))
    EXPECT_EQ(audio_duration("%7B%22duration%22%3A7%7D"), 7);
    EXPECT_EQ(audio_duration(R"({"duration":12})"), 12) << "not encoded is read too";
    EXPECT_EQ(audio_duration("%7B%22duration%22%3A2.6%7D"), 3) << "rounded";
    EXPECT_EQ(audio_duration("%7B%22duration%22%3A%2245%22%7D"), 45) << "a decimal string";
    EXPECT_EQ(audio_duration("%7B%22duration%22%3A9%2C%22x%22%3A%5B1%5D%7D"), 9) << "other fields ignored";
}

TEST(Media, MalformedOptionsReadAsZeroWithoutThrowing) {
    for (const char* bad : {"", "%", "%7B", "%ZZ", "{", "null", "[]", "7", "\"7\"", R"({"duration":-3})",
                            R"({"duration":"abc"})", R"({"duration":null})", R"({"duration":{}})",
                            R"({"duration":[5]})", R"({"duration":true})", R"({"dur":5})", R"({"duration":1e400})",
                            "%7B%22duration%22%3A%7D", "\xff\xfe"})
        EXPECT_EQ(audio_duration(bad), 0) << bad;
    EXPECT_EQ(audio_duration(R"({"duration":1e9})"), 3600) << "clamped";
    EXPECT_EQ(audio_duration(std::string(100000, '[')), 0);
}

TEST(Media, WritesWhatTheReferenceSends) {
    EXPECT_EQ(audio_options(2), "%7B%22duration%22%3A2%7D");
    EXPECT_EQ(audio_duration(audio_options(60)), 60);
}

TEST(Media, PlayedIsMineOrPlayedHere) {
    Media media;
    protocol::Message theirs;
    theirs.id = 5;
    theirs.from_id = 99;
    protocol::Message mine = theirs;
    mine.id = 6;
    mine.from_id = 10;
    EXPECT_FALSE(media.played(theirs, 10));
    EXPECT_TRUE(media.played(mine, 10)) << "no red dot on my own voice";
    EXPECT_TRUE(media.mark_played(5));
    EXPECT_FALSE(media.mark_played(5)) << "already played: nothing to persist";
    EXPECT_FALSE(media.mark_played(0)) << "an unsent message has no id to remember";
    EXPECT_TRUE(media.played(theirs, 10));
}

TEST(Media, PlayedSurvivesAReloadAndForgetsTheOldest) {
    Media a;
    for (int64_t id = 1; id <= static_cast<int64_t>(Media::kKeep) + 5; ++id) a.mark_played(id);
    Media b;
    b.load(a.to_json());
    protocol::Message m;
    m.from_id = 99;
    m.id = 3;
    EXPECT_FALSE(b.played(m, 10)) << "beyond kKeep the oldest are forgotten";
    m.id = static_cast<int64_t>(Media::kKeep) + 5;
    EXPECT_TRUE(b.played(m, 10));
    for (const char* bad : {"", "{", "{}", "[\"x\", null, 1.5, -2]", "5"}) {
        Media c;
        c.load(bad);
        EXPECT_EQ(c.to_json(), "[]") << bad;
    }
}

TEST(Media, OnePlaysAtATime) {
    Media m;
    m.set_playing(5, true);
    EXPECT_EQ(m.playing(), 5);
    m.set_playing(6, true);
    EXPECT_EQ(m.playing(), 6);
    m.set_playing(5, false);
    EXPECT_EQ(m.playing(), 6) << "the old one's late stop does not stop the new one";
    m.set_playing(6, false);
    EXPECT_EQ(m.playing(), 0);
}
