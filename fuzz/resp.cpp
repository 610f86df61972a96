// Fuzz target: the Redis bus's RESP decoder (bus/resp), as the link reads a reply stream:
// values are taken one after another while they parse. What it consumed is within the input,
// limits hold, and an encoded command decodes back to its arguments.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "server/bus/resp.hpp"

using namespace imchat::server::resp;

namespace {
size_t count_depth(const Value& v, int depth, int& max_depth) {
    if (depth > max_depth) max_depth = depth;
    size_t n = 1;
    for (const auto& e : v.elements) n += count_depth(e, depth + 1, max_depth);
    return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    Limits lim;
    lim.max_bulk = in.ConsumeIntegralInRange<size_t>(0, 1 << 16);
    lim.max_elements = in.ConsumeIntegralInRange<size_t>(0, 1 << 12);
    lim.max_depth = in.ConsumeIntegralInRange<int>(0, 10);
    const std::string stream = in.ConsumeBytesAsString(in.remaining_bytes());
    std::string_view rest(stream);
    while (!rest.empty()) {
        Parsed p = parse(rest, lim);
        if (p.status != Status::Value) break;
        FUZZ_CHECK(p.consumed > 0 && p.consumed <= rest.size());
        int depth = 0;
        (void)count_depth(p.value, 0, depth);
        FUZZ_CHECK(depth <= lim.max_depth + 1);
        if (p.value.type == Value::Type::Bulk) FUZZ_CHECK(p.value.str.size() <= lim.max_bulk);
        if (p.value.type == Value::Type::Array) FUZZ_CHECK(p.value.elements.size() <= lim.max_elements);
        rest.remove_prefix(p.consumed);
    }
    // The encoder: the stream cut into arguments decodes back to them.
    std::vector<std::string_view> args;
    for (size_t i = 0; i < stream.size() && args.size() < 8; i += 7) args.push_back(std::string_view(stream).substr(i, 7));
    if (args.empty()) return 0;
    std::string cmd;
    encode_command(cmd, args);
    Parsed p = parse(cmd);
    FUZZ_CHECK(p.status == Status::Value && p.consumed == cmd.size());
    FUZZ_CHECK(p.value.type == Value::Type::Array && p.value.elements.size() == args.size());
    for (size_t i = 0; i < args.size(); ++i) FUZZ_CHECK(p.value.elements[i].str == args[i]);
    return 0;
}
