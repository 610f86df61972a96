// Fuzz target: the client's socket-frame decoder (protocol::parse_server_frame) and what the
// core does next with a chat frame's message (its conversation, its wire form again).
// Built -fno-exceptions like the web client: any throw on the way is an abort.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"

using namespace imchat::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto f = parse_server_frame(text);
    if (!f) return 0;
    if (f->kind == ServerFrame::Kind::Chat) {
        const Message& m = f->message;
        (void)conversation_of(m, m.to_id);
        (void)conversation_of(m, m.from_id);
        (void)conversation_of(m, 0);
        // Persistence and resends dump the message again: parsed text is valid UTF-8, so this
        // must not throw (it would abort here), and reading it back gives the same message.
        const std::string wire = to_json(m).dump();
        const Json back = parse_json(wire);
        FUZZ_CHECK(!back.is_discarded());
        FUZZ_CHECK(to_json(message_from_json(back)) == to_json(m));
    }
    (void)make_frame("error", Json(f->text), f->timestamp);
    return 0;
}
