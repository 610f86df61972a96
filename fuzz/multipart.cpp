// Fuzz target: multipart/form-data (api/multipart) as the upload route gets it: the first line
// of the input is the Content-Type, the rest the body. A file found lies inside the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/api/multipart.hpp"

using namespace imchat::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);   // an exact-size heap copy
    const size_t nl = input.find('\n');
    const std::string_view all(input);
    const std::string_view type = all.substr(0, nl == std::string::npos ? all.size() : nl);
    const std::string_view body = nl == std::string::npos ? std::string_view{} : all.substr(nl + 1);
    (void)is_multipart(type);
    MultipartFile f;
    const MultipartError e = parse_multipart(type, body, f);
    FUZZ_CHECK(!multipart_error_text(e).empty());
    if (e == MultipartError::none) {
        FUZZ_CHECK(f.data.data() >= body.data() && f.data.data() + f.data.size() <= body.data() + body.size());
        volatile unsigned sum = 0;
        for (char c : f.data) sum = sum + static_cast<unsigned char>(c);
    }
    return 0;
}
