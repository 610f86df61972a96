// Stickers (src/core/sticker.*): keys parsed as the server does, the set the page's panel
// offers agrees with the core's, and a sticker is sent as type emoticon (never a bad key).
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/sticker.hpp"
#include "session_harness.hpp"

TEST(Sticker, KeysAreWhatTheServerAccepts) {
    EXPECT_TRUE(is_sticker_key("smile"));
    EXPECT_TRUE(is_sticker_key("smile_01"));
    EXPECT_TRUE(is_sticker_key("A-z_9"));
    EXPECT_TRUE(is_sticker_key(std::string(64, 'a')));
    EXPECT_FALSE(is_sticker_key(std::string(65, 'a')));
    EXPECT_FALSE(is_sticker_key(""));
    EXPECT_FALSE(is_sticker_key("a b"));
    EXPECT_FALSE(is_sticker_key("/uploads/x.png"));
    EXPECT_FALSE(is_sticker_key("https://evil.example/x"));
    EXPECT_FALSE(is_sticker_key("笑"));
    EXPECT_FALSE(is_sticker_key(std::string("a\0b", 3)));
}

TEST(Sticker, TypesAndLookup) {
    EXPECT_TRUE(is_sticker_type("emoticon"));
    EXPECT_TRUE(is_sticker_type("iconMenus"));   // the reference's name
    EXPECT_FALSE(is_sticker_type("text"));
    ASSERT_NE(find_sticker("smile"), nullptr);
    EXPECT_STREQ(find_sticker("smile")->emoji, "\U0001F600");
    EXPECT_EQ(find_sticker("smile_01"), nullptr) << "unknown keys are drawn as a placeholder";
    std::set<std::string> keys;
    for (const Sticker& s : stickers()) {
        EXPECT_TRUE(is_sticker_key(s.key)) << s.key;
        EXPECT_TRUE(keys.insert(s.key).second) << "duplicate " << s.key;
    }
    EXPECT_GE(keys.size(), 12u);
}

// web/js/emoji.js lists the same keys with the same emoji, in the same order.
TEST(Sticker, ThePagePanelOffersTheCoresSet) {
    std::ifstream f(std::filesystem::path(IMCHAT_SOURCE_DIR) / "web/js/emoji.js");
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string js = ss.str();
    const std::regex pair(R"re(\['([A-Za-z0-9_-]+)', '([^']+)'\])re");
    std::vector<std::pair<std::string, std::string>> page;
    for (std::sregex_iterator it(js.begin(), js.end(), pair), end; it != end; ++it) page.push_back({(*it)[1], (*it)[2]});
    ASSERT_EQ(page.size(), stickers().size());
    for (size_t i = 0; i < page.size(); ++i) {
        EXPECT_EQ(page[i].first, stickers()[i].key);
        EXPECT_EQ(page[i].second, stickers()[i].emoji) << page[i].first;
    }
}

TEST(Session, StickerIsSentAsEmoticon) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"thumbs_up", "emoticon"});
    auto req = h.http_to("/api/chat/socket/sendmessage");
    Json b = Json::parse(req.body);
    EXPECT_EQ(b["type"], "emoticon");
    EXPECT_EQ(b["data"], "thumbs_up");
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].type, "emoticon");
}

TEST(Session, BadStickerKeyOrUnknownTypeIsNotSent) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"https://evil.example/x.png", "emoticon"});
    h.feed(ev::SendText{std::string(65, 'a'), "emoticon"});
    h.feed(ev::SendText{"smile", "sticker"});
    EXPECT_TRUE(h.all<act::Http>().empty());
    EXPECT_TRUE(h.s.open_messages().empty());
}
