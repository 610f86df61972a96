// The route table and dispatch: what is a route, tokens, unknown routes, the guest allow-list.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Routing = imchat::server::testing::ApiFixture;

TEST_F(Routing, NonApiPathsAreNotHandled) {
    Request r; r.method = "GET"; r.path = "/index.html";
    EXPECT_FALSE(api.handle(r));
}

TEST_F(Routing, MissingOrBadTokenGetsReferenceText) {
    auto r = call("GET", "/api/chat/grouplist/1", "");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(data(r), "Token 令牌不合法！");
    EXPECT_EQ(data(call("GET", "/api/chat/grouplist/1", std::string(64, 'f'))), "Token 令牌不合法！");
}

TEST_F(Routing, UnknownRouteIs404Json) {
    Who a = guest(1);
    auto r = call("GET", "/api/chat/nope", a.token);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(Json::parse(r.body)["msg"], "fail");
}

TEST_F(Routing, GuestsOnlyCallTheAllowList) {
    Who g = guest();
    auto r = post(g, "/api/chat/group/create", Json{{"name", "x"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "您没有权限访问，请先注册或登录");
    EXPECT_EQ(store->group_count(), 0) << "nothing stored";
    EXPECT_EQ(call("GET", "/api/chat/grouplist/1", g.token).status, 200);
}
