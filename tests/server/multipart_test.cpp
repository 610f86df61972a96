// multipart/form-data for uploads (issue 13): what uni.uploadFile and FormData send, and
// hostile bodies (no boundary, never closed, huge headers, two files, too many parts).
#include <gtest/gtest.h>

#include <string>

#include "server/api/multipart.hpp"

using namespace imchat::server;

namespace {

const std::string kType = "multipart/form-data; boundary=----WebKitFormBoundaryAbC123";
const std::string kDash = "------WebKitFormBoundaryAbC123";

std::string part(const std::string& disposition, const std::string& data, const std::string& type = "image/png") {
    return kDash + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: " + type + "\r\n\r\n" + data + "\r\n";
}

MultipartError parse(const std::string& type, const std::string& body, MultipartFile& f) {
    return parse_multipart(type, body, f);
}

}  // namespace

TEST(Multipart, TheFilePartAsABrowserSendsIt) {
    const std::string data("\x89PNG\r\n\x1a\n\0\0\r\n--not-the-boundary\r\n", 30);
    const std::string body = part(R"(form-data; name="file"; filename="cat.png")", data) + kDash + "--\r\n";
    MultipartFile f;
    ASSERT_EQ(parse(kType, body, f), MultipartError::none);
    EXPECT_EQ(f.data, data) << "binary bytes, CRLFs and dashes inside are kept";
    EXPECT_EQ(f.filename, "cat.png");
}

TEST(Multipart, OtherFieldsPreambleQuotedBoundaryAndUtf8Names) {
    const std::string type = "Multipart/Form-Data; charset=utf-8; boundary=\"b 1\"";
    const std::string body = "preamble\r\n--b 1\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\n42\r\n"
                             "--b 1\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"; "
                             "filename*=UTF-8''%E8%AF%AD%E9%9F%B3.m4a\r\n\r\nhello\r\n--b 1--";
    MultipartFile f;
    ASSERT_EQ(parse(type, body, f), MultipartError::none);
    EXPECT_EQ(f.data, "hello");
    EXPECT_EQ(f.filename, "语音.m4a") << "filename* wins";
    EXPECT_TRUE(is_multipart(type));
    EXPECT_FALSE(is_multipart("application/octet-stream"));
    EXPECT_FALSE(is_multipart(""));
}

TEST(Multipart, QuotedFilenameEscapesAndAnEmptyFile) {
    const std::string body = part(R"(form-data; name="file"; filename="say \"hi\".txt")", "") + kDash + "--";
    MultipartFile f;
    ASSERT_EQ(parse(kType, body, f), MultipartError::none);
    EXPECT_EQ(f.filename, "say \"hi\".txt");
    EXPECT_TRUE(f.data.empty());
}

TEST(Multipart, HostileBodiesAreRefused) {
    MultipartFile f;
    const std::string one = part(R"(form-data; name="file"; filename="a")", "abc");
    EXPECT_EQ(parse("multipart/form-data", one + kDash + "--", f), MultipartError::no_boundary);
    EXPECT_EQ(parse("multipart/form-data; boundary=", one + kDash + "--", f), MultipartError::no_boundary);
    EXPECT_EQ(parse("multipart/form-data; boundary=" + std::string(71, 'x'), "", f), MultipartError::no_boundary);
    EXPECT_EQ(parse(kType, one, f), MultipartError::malformed) << "no closing delimiter";
    EXPECT_EQ(parse(kType, kDash + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", f),
              MultipartError::malformed) << "the data never ends";
    EXPECT_EQ(parse(kType, "abc", f), MultipartError::malformed) << "no delimiter at all";
    EXPECT_EQ(parse(kType, kDash + "garbage\r\n", f), MultipartError::malformed);
    EXPECT_EQ(parse(kType, kDash + "\r\nX-Pad: " + std::string(20000, 'a') + "\r\n\r\nabc\r\n" + kDash + "--", f),
              MultipartError::header_too_large);
    EXPECT_EQ(parse(kType, one + part(R"(form-data; name="file"; filename="b")", "def") + kDash + "--", f),
              MultipartError::two_files);
    EXPECT_EQ(parse(kType, part(R"(form-data; name="other")", "x") + kDash + "--", f), MultipartError::no_file);
    EXPECT_EQ(parse(kType, kDash + "--", f), MultipartError::no_file);
    std::string many;
    for (int i = 0; i < kMaxParts + 1; ++i) many += part("form-data; name=\"f" + std::to_string(i) + "\"", "x");
    EXPECT_EQ(parse(kType, many + kDash + "--", f), MultipartError::too_many_parts);
}

TEST(Multipart, EveryTruncationIsRefusedNeverReadPast) {
    const std::string body = part(R"(form-data; name="file"; filename="a.bin")", "0123456789") + kDash + "--";
    MultipartFile f;
    for (size_t n = 0; n + 2 < body.size(); ++n)
        EXPECT_NE(parse(kType, body.substr(0, n), f), MultipartError::none) << n;
    EXPECT_EQ(parse(kType, body, f), MultipartError::none);
}
