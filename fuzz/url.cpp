// Fuzz target: the client's URL helpers: the scanned join link (parse_join_target), query
// strings (query_param), the socket origin and percent coding. Built -fno-exceptions.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/url.hpp"
#include "fuzz_check.hpp"

using namespace imchat::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view s(reinterpret_cast<const char*>(data), size);
    if (auto t = parse_join_target(s)) {
        // The reference form names its chatType; anything but a group is "not found" (id -1).
        if (t->chat_type != "group" && t->chat_type != "single") FUZZ_CHECK(t->id == -1);
        FUZZ_CHECK(t->id == -1 || t->id > 0);
        if (t->chat_type == "single" && t->id > 0) FUZZ_CHECK(t->code.size() >= 8 && t->code.size() <= 64);
    }
    for (const char* key : {"group", "user", "id", "token", "action", "chatType", "", "a"}) {
        if (auto v = query_param(s, key)) FUZZ_CHECK(v->size() <= s.size());
    }
    (void)websocket_origin(s);
    const std::string dec = percent_decode(s);
    FUZZ_CHECK(dec.size() <= s.size());
    FUZZ_CHECK(percent_decode(percent_encode(s)) == s);   // encoding loses nothing
    return 0;
}
