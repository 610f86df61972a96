// Fuzz target: the server's WebSocket frame parser (transport/ws_frame) as a socket feeds it:
// the input is cut into reads of fuzzed sizes, and events are taken until it needs more or
// refuses (the session then closes). Messages never exceed the limit; payloads stay valid.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "server/transport/ws_frame.hpp"

using namespace imchat::server::ws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    const size_t max = in.ConsumeIntegralInRange<size_t>(0, 4096);
    Parser p(max);
    while (in.remaining_bytes() > 0) {
        const size_t n = in.ConsumeIntegralInRange<size_t>(1, 64);
        p.feed(in.ConsumeBytesAsString(n));
        for (int guard = 0; guard < 10000; ++guard) {
            const Event e = p.next();
            if (e.kind == Event::kNeedMore) break;
            if (e.kind == Event::kError) {
                FUZZ_CHECK(e.code == kCloseProtocol || e.code == kCloseTooBig);
                return 0;   // the session closes the socket
            }
            if (e.kind == Event::kMessage) FUZZ_CHECK(e.payload.size() <= max);
            else FUZZ_CHECK(e.payload.size() <= 125);
            // Touch every byte: a payload view into freed memory is an ASan report.
            volatile unsigned sum = 0;
            for (char c : e.payload) sum = sum + static_cast<unsigned char>(c);
            if (e.kind == Event::kClose) {
                (void)encode_close(e.code, e.payload);
                return 0;
            }
            if (e.kind == Event::kPing) (void)encode_control(kPong, e.payload);
        }
        p.release();
    }
    return 0;
}
