#include <gtest/gtest.h>

#include "ui/prompts.hpp"

using namespace imchat;

TEST(Prompts, EachKeyMeansItsSessionEvent) {
    auto e = ui::prompt_events("reason", "我是小王");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(std::get<core::ev::RequestJoin>(e[0]).reason, "我是小王");
    EXPECT_EQ(std::get<core::ev::CreateGroup>(ui::prompt_events("create", "g")[0]).name, "g");
    for (const char* k : {"rename", "remark", "nickname"}) {
        auto g = std::get<core::ev::GroupAction>(ui::prompt_events(k, "t")[0]);
        EXPECT_EQ(g.action, k);
        EXPECT_EQ(g.text, "t");
    }
    auto s = std::get<core::ev::SaveSettings>(ui::prompt_events("mynick", "n")[0]);
    EXPECT_EQ(s.nickname, "n");
    EXPECT_EQ(s.send_count, -1) << "a nickname change leaves the guest setting alone";
    EXPECT_TRUE(ui::prompt_events("unknown", "x").empty());
}
