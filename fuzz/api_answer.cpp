// Fuzz target: the client's HTTP answer decoders: the envelope (protocol::parse_api_result) and
// every reader in core/api_client, user, group and contact decoders, fed the answer's data.
// Built -fno-exceptions like the web client: any throw on the way is an abort.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/api_client.hpp"
#include "fuzz_check.hpp"
#include "protocol/envelope.hpp"
#include "protocol/group.hpp"
#include "protocol/user.hpp"

using namespace imchat;
using protocol::Json;

namespace {
void read_all(const Json& d) {
    namespace api = core::api;
    if (auto h = api::read_history(d))
        for (const auto& m : *h) (void)protocol::to_json(m).dump();
    (void)api::read_join(d);
    (void)api::read_latest(d);
    (void)api::read_qr(d);
    (void)api::read_send_count(d, 3);
    (void)api::read_upload(d);
    (void)api::read_candidates(d);
    (void)api::has_nickname(d);
    if (auto l = api::read_conversation_list(d))
        for (const auto& it : *l) FUZZ_CHECK(it.key.chat_type == "group" || it.key.chat_type == "single");
    (void)api::read_conversation_read(d);
    const protocol::User u = protocol::read_user(d);
    (void)protocol::to_json(u).dump();
    (void)protocol::read_contact_info(d);
    const protocol::Group g = protocol::read_group(d);
    for (const auto& m : g.members) {
        (void)m.display_name();
        (void)protocol::to_json(m).dump();
        FUZZ_CHECK(g.member(m.user_id) != nullptr);
    }
    (void)protocol::read_group_list(d);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    static const int kStatus[] = {0, 200, 400, 403, 404, 413, 429, 500, 502, 503};
    const int status = kStatus[data[0] % (sizeof kStatus / sizeof kStatus[0])];
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const protocol::ApiResult r = protocol::parse_api_result(status, body);
    (void)r.reason();
    if (r.ok) FUZZ_CHECK(status == 200);
    read_all(r.data);
    read_all(protocol::parse_json(body));   // a server answering without the envelope
    return 0;
}
