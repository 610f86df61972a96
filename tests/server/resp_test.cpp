// RESP decoder: known values, every truncation, and random/mutated input
// (never a crash, never a read past the input: always a value, "need more" or
// a protocol error).
#include <gtest/gtest.h>

#include <random>

#include "server/bus/resp.hpp"

using namespace imchat::server::resp;

namespace {
const std::vector<std::string> kSamples = {
    "+OK\r\n",
    "-ERR unknown command\r\n",
    ":-42\r\n",
    "$5\r\nhe\r\no\r\n",
    "$0\r\n\r\n",
    "$-1\r\n",
    "*-1\r\n",
    "*0\r\n",
    "*3\r\n$7\r\nmessage\r\n$9\r\nimchat:bu\r\n$11\r\nF|a|1|{\"x\"}\r\n",
    "*2\r\n*1\r\n:1\r\n$3\r\nabc\r\n",
};
}  // namespace

TEST(Resp, DecodesEachType) {
    auto p = parse("+OK\r\n");
    ASSERT_EQ(p.status, Status::Value);
    EXPECT_EQ(p.value.type, Value::Type::Simple);
    EXPECT_EQ(p.value.str, "OK");
    EXPECT_EQ(p.consumed, 5u);

    p = parse(":-42\r\nrest");
    ASSERT_EQ(p.status, Status::Value);
    EXPECT_EQ(p.value.integer, -42);
    EXPECT_EQ(p.consumed, 6u);

    p = parse("$5\r\nhe\r\no\r\n");   // binary-safe: CRLF inside a bulk string
    ASSERT_EQ(p.status, Status::Value);
    EXPECT_EQ(p.value.str, "he\r\no");

    p = parse("$-1\r\n");
    ASSERT_EQ(p.status, Status::Value);
    EXPECT_EQ(p.value.type, Value::Type::Nil);

    p = parse(kSamples[8]);
    ASSERT_EQ(p.status, Status::Value);
    ASSERT_EQ(p.value.elements.size(), 3u);
    EXPECT_EQ(p.value.elements[0].str, "message");
    EXPECT_EQ(p.value.elements[2].str, "F|a|1|{\"x\"}");

    p = parse("-ERR no\r\n");
    EXPECT_EQ(p.value.type, Value::Type::Error);
}

TEST(Resp, EncodedCommandsDecodeBack) {
    std::string out;
    encode_command(out, {"PUBLISH", "ch", std::string_view("a\0b\r\n", 5)});
    auto p = parse(out);
    ASSERT_EQ(p.status, Status::Value);
    EXPECT_EQ(p.consumed, out.size());
    ASSERT_EQ(p.value.elements.size(), 3u);
    EXPECT_EQ(p.value.elements[2].str, std::string("a\0b\r\n", 5));
}

TEST(Resp, EveryTruncationNeedsMore) {
    for (const auto& s : kSamples)
        for (size_t n = 0; n < s.size(); ++n)
            EXPECT_EQ(parse(std::string_view(s).substr(0, n)).status, Status::NeedMore) << s << " cut at " << n;
}

TEST(Resp, MalformedInputIsAProtocolError) {
    for (const char* s : {"?x\r\n", ":12a\r\n", ":\r\n", "$-2\r\n", "$3\r\nabcde\r\n", "*-5\r\n",
                          "$99999999999999999999\r\n", "*1\r\n!\r\n"})
        EXPECT_EQ(parse(s).status, Status::Error) << s;
    // Limits: huge declared sizes and deep nesting are refused, not allocated.
    EXPECT_EQ(parse("$1000000000\r\n").status, Status::Error);
    EXPECT_EQ(parse("*100000000\r\n").status, Status::Error);
    EXPECT_EQ(parse("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n").status, Status::Error);
    // A header line without CRLF that grows past any sane length is garbage.
    EXPECT_EQ(parse("$" + std::string(2000, '1')).status, Status::Error);
}

TEST(Resp, RandomAndMutatedInputNeverCrashes) {
    std::mt19937 rng(12345);
    const std::string alphabet = "+-:$*\r\n0123456789-abc";
    size_t values = 0, more = 0, errors = 0;
    for (int i = 0; i < 200000; ++i) {
        std::string in;
        if (i % 2) {
            // Pure garbage, biased toward RESP's own bytes.
            const size_t n = rng() % 40;
            for (size_t k = 0; k < n; ++k)
                in += (rng() % 4) ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
        } else {
            // A valid value with a few bytes changed, cut, or doubled.
            in = kSamples[rng() % kSamples.size()];
            const int edits = 1 + static_cast<int>(rng() % 3);
            for (int e = 0; e < edits && !in.empty(); ++e) {
                const size_t at = rng() % in.size();
                switch (rng() % 3) {
                    case 0: in[at] = alphabet[rng() % alphabet.size()]; break;
                    case 1: in.erase(at, 1 + rng() % 3); break;
                    default: in.insert(at, in.substr(0, rng() % in.size())); break;
                }
            }
        }
        const auto p = parse(in);
        switch (p.status) {
            case Status::Value:
                ++values;
                ASSERT_GT(p.consumed, 0u);
                ASSERT_LE(p.consumed, in.size());
                break;
            case Status::NeedMore: ++more; ASSERT_EQ(p.consumed, 0u); break;
            case Status::Error: ++errors; break;
        }
    }
    // The input reached all three outcomes.
    EXPECT_GT(values, 1000u);
    EXPECT_GT(more, 1000u);
    EXPECT_GT(errors, 1000u);
}
