#include <gtest/gtest.h>

#include "protocol/json_read.hpp"

using namespace imchat::protocol;

TEST(JsonRead, IntegersFromNumbersAndDecimalStrings) {
    const Json j{{"a", 5}, {"b", "12"}, {"c", 2.9}, {"d", "12x"}, {"e", nullptr}, {"f", 1e300}, {"g", -3}};
    EXPECT_EQ(read_int(j, "a"), 5);
    EXPECT_EQ(read_int(j, "b"), 12);
    EXPECT_EQ(read_int(j, "c"), 2);
    EXPECT_EQ(read_int(j, "d", -1), -1);
    EXPECT_EQ(read_int(j, "e", -1), -1);
    EXPECT_EQ(read_int(j, "f", -1), -1);
    EXPECT_EQ(read_int(j, "g"), -3);
    EXPECT_EQ(read_int(j, "missing", 8), 8);
    EXPECT_EQ(read_int(Json::array({1}), "a", 8), 8);
}

TEST(JsonRead, StringsBoolsObjectsArrays) {
    const Json j{{"s", "x"}, {"n", 7}, {"o", {{"k", 1}}}, {"a", {1, 2}}, {"b", true}, {"bn", 0}};
    EXPECT_EQ(read_str(j, "s"), "x");
    EXPECT_EQ(read_str(j, "n"), "7");
    EXPECT_EQ(read_str(j, "o", "def"), "def");
    EXPECT_TRUE(read_bool(j, "b"));
    EXPECT_FALSE(read_bool(j, "bn", true));
    EXPECT_EQ(read_obj(j, "o")["k"], 1);
    EXPECT_TRUE(read_obj(j, "a").empty());
    EXPECT_EQ(read_arr(j, "a").size(), 2u);
    EXPECT_TRUE(read_arr(j, "o").is_array());
    EXPECT_TRUE(parse_json("{").is_discarded());
    EXPECT_EQ(parse_json(R"({"a":1})")["a"], 1);
}
