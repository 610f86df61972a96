// Socket frames: the welcome frame and the answers to what a client sends on /ws
// (pings; anything else is an error frame, the socket stays).
#include <set>
#include <unordered_map>

#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

namespace {

// Delivery bookkeeping of one reference socket: a `singleChat` frame carrying a stored
// message (seq > 0, no actionType: recalls and events pass untouched) advances the user's
// delivered cursor once written, and the same (conversation, seq) is not written twice.
class ReferenceDelivery final : public SocketDelivery {
public:
    ReferenceDelivery(Store& store, int64_t user_id) : store_(store), user_id_(user_id) {}

    bool should_write(const std::string& frame) override {
        seq_ = 0;
        if (frame.find("\"singleChat\"") == std::string::npos) return true;
        const Json j = parse_json(frame);
        if (j.is_discarded() || read_str(j, "type") != "singleChat") return true;
        const Json& m = read_obj(j, "data");
        const int64_t seq = read_int(m, "seq");
        if (seq <= 0 || m.contains("actionType")) return true;
        const std::string type = read_str(m, "chatType");
        if (type != "group" && type != "single") return true;
        conv_ = type == "group" ? conv_key("group", read_int(m, "to_id"))
                                : conv_key("single", read_int(m, "from_id"), read_int(m, "to_id"));
        if (auto it = written_.find(conv_); it != written_.end() && it->second.count(seq)) return false;
        seq_ = seq;
        return true;
    }

    // The cursor follows contiguous writes: this seq, then any later ones this socket wrote
    // earlier (pushes can arrive out of order), as long as nothing is missing before them.
    void written() override {
        if (seq_ <= 0) return;
        auto& seen = written_[conv_];
        seen.insert(seq_);
        for (auto it = seen.find(seq_); it != seen.end(); ++it)
            if (!store_.advance_delivered_cursor(user_id_, conv_, *it)) break;
        while (seen.size() > kRemembered) seen.erase(seen.begin());
        seq_ = 0;
    }

private:
    static constexpr size_t kRemembered = 2000;   // per conversation: far more than one offline page
    Store&      store_;
    int64_t     user_id_;
    std::unordered_map<std::string, std::set<int64_t>> written_;
    std::string conv_;   // the frame let through last, if it is a message (seq_ > 0)
    int64_t     seq_ = 0;
};

}  // namespace

std::unique_ptr<SocketDelivery> Api::reference_delivery(const UserRow& u) {
    return std::make_unique<ReferenceDelivery>(store_, u.id);
}

std::string Api::welcome_frame() const {
    return protocol::make_frame("system", "连接成功", clock_());
}

std::optional<std::string> Api::socket_text(const UserRow& u, std::string_view text) {
    (void)u;
    Json j = parse_json(text);
    if (j.is_discarded() || !j.is_object()) return protocol::make_frame("error", "invalid JSON", clock_());
    const std::string type = read_str(j, "type");
    if (type == "ping") return Json{{"type", "pong"}, {"timestamp", clock_()}}.dump();
    return protocol::make_frame("error", "unknown frame type", clock_());
}

}  // namespace imchat::server
