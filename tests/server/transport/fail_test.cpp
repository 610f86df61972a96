// transport/fail: which codes are the expected end of a connection (kept quiet).
#include "server/transport/fail.hpp"

#include <gtest/gtest.h>

using namespace imchat::server;

TEST(TransportFail, ExpectedEndsAreQuietOthersAreReported) {
    EXPECT_TRUE(is_expected_end(net::error::operation_aborted));
    EXPECT_TRUE(is_expected_end(websocket::error::closed));
    EXPECT_TRUE(is_expected_end(http::error::end_of_stream));
    EXPECT_TRUE(is_expected_end(net::error::eof));
    EXPECT_FALSE(is_expected_end(net::error::connection_reset));
    EXPECT_FALSE(is_expected_end(http::error::body_limit));
    fail(net::error::connection_reset, "read");   // logs, never throws
}
