// Fuzz target: what a client sends on /ws once authenticated (Api::socket_text: pings, anything
// else an error frame), the token check (Api::authenticate), and a reference socket's delivery
// bookkeeping (Api::reference_delivery) over frames the hub would write to it. The input is a
// list of frames (fuzzed lengths); each one goes through all three. Every reply is JSON.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "api_world.hpp"
#include "fuzz_check.hpp"

using namespace imchat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::ApiWorld* w = new fuzz::ApiWorld();   // socket_text keeps no state; the
                                                       // delivery's is per socket (made per input)
    FuzzedDataProvider in(data, size);
    auto delivery = w->api.reference_delivery(w->alice);
    for (int n = 0; n < 32 && in.remaining_bytes() > 0; ++n) {
        std::string frame = in.ConsumeRandomLengthString(16 * 1024);
        w->substitute(frame);
        if (auto reply = w->api.socket_text(w->alice, frame)) {
            const protocol::Json j = protocol::parse_json(*reply);
            FUZZ_CHECK(j.is_object());
            const std::string type = protocol::read_str(j, "type");
            FUZZ_CHECK(type == "pong" || type == "error");
        }
        if (auto u = w->api.authenticate(frame)) FUZZ_CHECK(u->id == w->alice.id || u->id == w->bob.id);
        if (delivery->should_write(frame) && in.ConsumeBool()) delivery->written();
    }
    return 0;
}
