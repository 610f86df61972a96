// The virtualised layout, without ImGui: a fake measure counts what is measured.
#include <gtest/gtest.h>

#include "ui/message_list.hpp"

using namespace imchat;
using ui::MessageList;

namespace {
std::vector<core::Message> messages(int n) {
    std::vector<core::Message> v(n);
    for (int i = 0; i < n; ++i) { v[i].id = i + 1; v[i].seq = i + 1; v[i].from_id = i % 2 ? 10 : 20; v[i].data = "m"; }
    return v;
}
MessageList::Key key(uint64_t rev, size_t count, float width = 300) {
    return MessageList::Key{rev, width, 4, 0, 0, count, core::ConversationKey{"group", 3}};
}
// 10 px per row, 30 for rows from user 10 ("mine"): proves `mine` reaches the measure.
MessageList::Measure fixed() {
    return [](const core::Message&, bool mine) { return ui::RowMeasure{mine ? 30.0f : 10.0f, true}; };
}
}  // namespace

TEST(MessageList, OffsetsStackRowHeightsFromTheTop) {
    MessageList l;
    auto v = messages(4);
    EXPECT_TRUE(l.update(v, 10, key(1, 4), fixed()));
    ASSERT_EQ(l.offsets().size(), 4u);
    EXPECT_EQ(l.offsets()[0], 4);
    EXPECT_EQ(l.offsets()[1], 14);
    EXPECT_EQ(l.offsets()[2], 44);
    EXPECT_EQ(l.total(), 4 + 10 + 30 + 10 + 30);
}

TEST(MessageList, SameKeyReusesTheLayoutWithoutMeasuring) {
    MessageList l;
    auto v = messages(10000);
    l.update(v, 10, key(1, v.size()), fixed());
    EXPECT_EQ(l.measured(), 10000u);
    for (int frame = 0; frame < 100; ++frame) EXPECT_FALSE(l.update(v, 10, key(1, v.size()), fixed()));
    EXPECT_EQ(l.measured(), 10000u) << "a scrolling frame measures nothing";
}

TEST(MessageList, NewMessageRebuildsOffsetsButMeasuresOnlyTheNewRow) {
    MessageList l;
    auto v = messages(100);
    l.update(v, 10, key(1, 100), fixed());
    v.push_back(v.back());
    v.back().id = 1000;
    EXPECT_TRUE(l.update(v, 10, key(2, 101), fixed()));
    EXPECT_EQ(l.measured(), 101u);
    EXPECT_EQ(l.offsets().size(), 101u);
}

TEST(MessageList, WidthChangeOrEditedRowIsMeasuredAgain) {
    MessageList l;
    auto v = messages(3);
    l.update(v, 10, key(1, 3), fixed());
    l.update(v, 10, key(1, 3, 200), fixed());
    EXPECT_EQ(l.measured(), 6u) << "a new width re-wraps every row";
    v[1].isremove = 1;   // recalled: its height changes
    l.update(v, 10, key(2, 3, 200), fixed());
    EXPECT_EQ(l.measured(), 7u);
}

TEST(MessageList, UnstableRowsAreMeasuredEveryRebuild) {
    MessageList l;
    auto v = messages(2);
    auto measure = [](const core::Message& m, bool) { return ui::RowMeasure{10, m.id != 1}; };   // row 1: an image
    l.update(v, 10, key(1, 2), measure);
    l.update(v, 10, key(2, 2), measure);
    EXPECT_EQ(l.measured(), 3u);
}

TEST(MessageList, WithoutAConversationTheLayoutIsNeverReused) {
    MessageList l;
    auto v = messages(2);
    MessageList::Key k = key(1, 2);
    k.conv.reset();
    EXPECT_TRUE(l.update(v, 10, k, fixed()));
    EXPECT_TRUE(l.update(v, 10, k, fixed()));
}

TEST(MessageList, FirstVisibleIsTheRowUnderTheViewTop) {
    MessageList l;
    auto v = messages(4);   // tops: 4, 14, 44, 54
    l.update(v, 10, key(1, 4), fixed());
    EXPECT_EQ(l.first_visible(0), 0u);
    EXPECT_EQ(l.first_visible(13.9f), 0u);
    EXPECT_EQ(l.first_visible(14), 1u);
    EXPECT_EQ(l.first_visible(50), 2u);
    EXPECT_EQ(l.first_visible(1e6f), 3u);
}

TEST(MessageList, RowKeyIsTheIdOrTheClientIdWhilePending) {
    core::Message m;
    m.client_msg_id = "abc";
    EXPECT_EQ(ui::row_key(m), "cabc");
    m.id = 7;
    EXPECT_EQ(ui::row_key(m), "i7");
}
