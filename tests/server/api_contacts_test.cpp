// QR codes (group and personal) and contacts.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Contacts = imchat::server::testing::ApiFixture;

TEST_F(Contacts, QrCodeIsAPngOfTheJoinUrl) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner);
    auto png = call("GET", "/api/chat/groupQrcode/" + std::to_string(gid) + "?type=H5&http=http://evil.example", owner.token);
    EXPECT_EQ(png.content_type, "image/png");
    EXPECT_EQ(png.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    auto m = data(call("GET", "/api/chat/groupQrcode/" + std::to_string(gid) + "?format=matrix", owner.token));
    EXPECT_EQ(m["url"], "http://192.168.1.5:8080/?group=" + std::to_string(gid)) << "never the caller's `http`";
    EXPECT_EQ(m["rows"].size(), m["size"].get<size_t>());
    auto svg = call("GET", "/api/chat/groupQrcode/" + std::to_string(gid) + "?format=svg", owner.token);
    EXPECT_EQ(svg.content_type, "image/svg+xml");
    Who outsider = guest();
    EXPECT_EQ(call("GET", "/api/chat/groupQrcode/" + std::to_string(gid), outsider.token).status, 403);
}

TEST_F(Contacts, PersonalQrAddsAContactWhoCanThenChat) {
    Who alice = user("alice01");
    Who g = guest();
    auto m = data(call("GET", "/api/chat/userQrcode?format=matrix", alice.token));
    const std::string url = m["url"];
    ASSERT_EQ(url.rfind("http://192.168.1.5:8080/?user=", 0), 0u);
    const std::string code = url.substr(url.find("user=") + 5);
    EXPECT_GE(code.size(), 16u) << "a random code, not the guessable id";
    Json card = data(call("GET", "/api/chat/contactInfo/" + code, g.token));
    EXPECT_EQ(card["name"], "alice01");
    EXPECT_EQ(card["is_contact"], false);
    int status = 0;
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 403) << "strangers cannot message";
    EXPECT_EQ(post(g, "/api/chat/addContact", Json{{"code", code}}).status, 200);
    EXPECT_EQ(post(g, "/api/chat/addContact", Json{{"code", "bad"}}).status, 400);
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(last_frame(alice)["data"], "hi");
    EXPECT_EQ(call("GET", "/api/chat/userQrcode", g.token).content_type, "image/png");
}
