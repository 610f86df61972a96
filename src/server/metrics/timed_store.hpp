// imchat::server metrics: a Store that times every call of the Store it wraps into
// imchat_store_duration_seconds{op="read"|"write"|"append"}. main.cpp wraps the real store
// in it; the Api and the tests see an ordinary Store. Generated from store.hpp's interface
// (one forwarding line per method): a method added there must be added here too (the
// compiler says so: this class would be abstract).
#pragma once
#include <memory>

#include "server/metrics/metrics.hpp"
#include "server/store/store.hpp"

namespace imchat::server::metrics {

class TimedStore final : public Store {
public:
    explicit TimedStore(std::unique_ptr<Store> inner) : owned_(std::move(inner)), inner_(*owned_) {}
    Store& inner() { return inner_; }

    UserRow visitor_for_device(const std::string& device_id, int64_t now) override {
        T t(StoreOp::write);
        return inner_.visitor_for_device(device_id, now);
    }
    UserRow create_user(const std::string& username, const std::string& nickname, const std::string& role, int64_t now) override {
        T t(StoreOp::write);
        return inner_.create_user(username, nickname, role, now);
    }
    std::optional<UserRow> user_by_id(int64_t id) override {
        T t(StoreOp::read);
        return inner_.user_by_id(id);
    }
    std::optional<std::pair<UserRow, std::string>> credentials(const std::string& username) override {
        T t(StoreOp::read);
        return inner_.credentials(username);
    }
    void set_password_hash(int64_t user_id, const std::string& hash) override {
        T t(StoreOp::write);
        return inner_.set_password_hash(user_id, hash);
    }
    std::optional<UserRow> user_by_token_hash(const std::string& token_hash) override {
        T t(StoreOp::read);
        return inner_.user_by_token_hash(token_hash);
    }
    void set_token_hash(int64_t user_id, const std::string& token_hash) override {
        T t(StoreOp::write);
        return inner_.set_token_hash(user_id, token_hash);
    }
    void set_nickname(int64_t user_id, const std::string& nickname) override {
        T t(StoreOp::write);
        return inner_.set_nickname(user_id, nickname);
    }
    void set_avatar(int64_t user_id, const std::string& avatar) override {
        T t(StoreOp::write);
        return inner_.set_avatar(user_id, avatar);
    }
    bool add_upload_bytes(int64_t user_id, int64_t day, int64_t bytes, int64_t limit) override {
        T t(StoreOp::write);
        return inner_.add_upload_bytes(user_id, day, bytes, limit);
    }
    std::string userset(int64_t user_id) override {
        T t(StoreOp::read);
        return inner_.userset(user_id);
    }
    void set_userset(int64_t user_id, const std::string& json) override {
        T t(StoreOp::write);
        return inner_.set_userset(user_id, json);
    }
    bool upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) override {
        T t(StoreOp::write);
        return inner_.upgrade_visitor(user_id, username, password_hash);
    }
    std::optional<UserRow> set_user_status(const std::string& username, int status) override {
        T t(StoreOp::write);
        return inner_.set_user_status(username, status);
    }
    std::vector<int64_t> disabled_user_ids() override {
        T t(StoreOp::read);
        return inner_.disabled_user_ids();
    }
    GroupRow create_group(int64_t owner_id, const std::string& name, int invite_confirm, int64_t now) override {
        T t(StoreOp::write);
        return inner_.create_group(owner_id, name, invite_confirm, now);
    }
    std::optional<GroupRow> group_by_id(int64_t id) override {
        T t(StoreOp::read);
        return inner_.group_by_id(id);
    }
    std::vector<GroupRow> groups_of_user(int64_t user_id, int offset, int limit) override {
        T t(StoreOp::read);
        return inner_.groups_of_user(user_id, offset, limit);
    }
    int64_t group_count() override {
        T t(StoreOp::read);
        return inner_.group_count();
    }
    std::vector<MemberRow> members(int64_t group_id) override {
        T t(StoreOp::read);
        return inner_.members(group_id);
    }
    std::optional<MemberRow> member(int64_t group_id, int64_t user_id) override {
        T t(StoreOp::read);
        return inner_.member(group_id, user_id);
    }
    bool add_member(int64_t group_id, int64_t user_id, int status, int64_t now) override {
        T t(StoreOp::write);
        return inner_.add_member(group_id, user_id, status, now);
    }
    void update_group(const GroupRow& g) override {
        T t(StoreOp::write);
        return inner_.update_group(g);
    }
    void set_member_status(int64_t group_id, int64_t user_id, int status) override {
        T t(StoreOp::write);
        return inner_.set_member_status(group_id, user_id, status);
    }
    void set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) override {
        T t(StoreOp::write);
        return inner_.set_member_nickname(group_id, user_id, nickname);
    }
    void remove_member(int64_t group_id, int64_t user_id) override {
        T t(StoreOp::write);
        return inner_.remove_member(group_id, user_id);
    }
    std::vector<int64_t> copy_memberships(int64_t from, int64_t to, int64_t now) override {
        T t(StoreOp::write);
        return inner_.copy_memberships(from, to, now);
    }
    AppendResult append_message(const std::string& conv, const protocol::Message& m) override {
        T t(StoreOp::append);
        return inner_.append_message(conv, m);
    }
    std::vector<protocol::Message> messages_after(const std::string& conv, int64_t after_seq, int limit) override {
        T t(StoreOp::read);
        return inner_.messages_after(conv, after_seq, limit);
    }
    std::vector<protocol::Message> messages_latest(const std::string& conv, int limit) override {
        T t(StoreOp::read);
        return inner_.messages_latest(conv, limit);
    }
    std::vector<protocol::Message> messages_before(const std::string& conv, int64_t before_seq, int limit) override {
        T t(StoreOp::read);
        return inner_.messages_before(conv, before_seq, limit);
    }
    int64_t last_seq(const std::string& conv) override {
        T t(StoreOp::read);
        return inner_.last_seq(conv);
    }
    std::optional<protocol::Message> message_by_id(int64_t id) override {
        T t(StoreOp::read);
        return inner_.message_by_id(id);
    }
    std::optional<protocol::Message> message_by_client_id(int64_t from_id, const std::string& client_msg_id) override {
        T t(StoreOp::read);
        return inner_.message_by_client_id(from_id, client_msg_id);
    }
    void mark_removed(int64_t id) override {
        T t(StoreOp::write);
        return inner_.mark_removed(id);
    }
    int64_t count_from(const std::string& conv, int64_t from_id) override {
        T t(StoreOp::read);
        return inner_.count_from(conv, from_id);
    }
    std::string invite_code(int64_t user_id) override {
        T t(StoreOp::write);
        return inner_.invite_code(user_id);
    }
    std::optional<UserRow> user_by_invite_code(const std::string& code) override {
        T t(StoreOp::read);
        return inner_.user_by_invite_code(code);
    }
    void add_contact(int64_t a, int64_t b, int64_t now) override {
        T t(StoreOp::write);
        return inner_.add_contact(a, b, now);
    }
    bool are_contacts(int64_t a, int64_t b) override {
        T t(StoreOp::read);
        return inner_.are_contacts(a, b);
    }
    int64_t ack_cursor(int64_t user_id, const std::string& conv) override {
        T t(StoreOp::read);
        return inner_.ack_cursor(user_id, conv);
    }
    void advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) override {
        T t(StoreOp::write);
        return inner_.advance_ack_cursor(user_id, conv, seq);
    }
    bool in_conversation(int64_t user_id, const std::string& conv) override {
        T t(StoreOp::read);
        return inner_.in_conversation(user_id, conv);
    }
    int64_t joined_seq(int64_t user_id, const std::string& conv) override {
        T t(StoreOp::read);
        return inner_.joined_seq(user_id, conv);
    }
    int64_t delivered_cursor(int64_t user_id, const std::string& conv) override {
        T t(StoreOp::read);
        return inner_.delivered_cursor(user_id, conv);
    }
    bool advance_delivered_cursor(int64_t user_id, const std::string& conv, int64_t seq) override {
        T t(StoreOp::write);
        return inner_.advance_delivered_cursor(user_id, conv, seq);
    }
    int64_t advance_read_cursor(int64_t user_id, const std::string& conv, int64_t seq) override {
        T t(StoreOp::write);
        return inner_.advance_read_cursor(user_id, conv, seq);
    }
    int64_t unread_count(int64_t user_id, const std::string& conv) override {
        T t(StoreOp::read);
        return inner_.unread_count(user_id, conv);
    }
    void hide_conversation(int64_t user_id, const std::string& conv) override {
        T t(StoreOp::write);
        return inner_.hide_conversation(user_id, conv);
    }
    std::vector<ConversationRow> conversations_of_user(int64_t user_id) override {
        T t(StoreOp::read);
        return inner_.conversations_of_user(user_id);
    }
    std::vector<protocol::Message> take_undelivered(int64_t user_id, int per_conv, int total) override {
        T t(StoreOp::write);
        return inner_.take_undelivered(user_id, per_conv, total);
    }
    std::vector<protocol::Message> unacked(int64_t user_id, int per_conv, int total) override {
        T t(StoreOp::read);
        return inner_.unacked(user_id, per_conv, total);
    }
    void set_join_request(int64_t group_id, int64_t user_id, const std::string& reason, int64_t now) override {
        T t(StoreOp::write);
        return inner_.set_join_request(group_id, user_id, reason, now);
    }
    void remove_join_request(int64_t group_id, int64_t user_id) override {
        T t(StoreOp::write);
        return inner_.remove_join_request(group_id, user_id);
    }
    std::vector<Store::JoinRequest> join_requests(int64_t group_id) override {
        T t(StoreOp::read);
        return inner_.join_requests(group_id);
    }
    bool share_a_group(int64_t a, int64_t b) override {
        T t(StoreOp::read);
        return inner_.share_a_group(a, b);
    }
    std::vector<UserRow> invite_candidates(int64_t user_id, int64_t group_id, int limit) override {
        T t(StoreOp::read);
        return inner_.invite_candidates(user_id, group_id, limit);
    }

    std::unique_ptr<SetupLock> setup_lock() override { return inner_.setup_lock(); }

private:
    struct T : ScopedTimer {
        explicit T(StoreOp op) : ScopedTimer(registry().store(op)) {}
    };
    std::unique_ptr<Store> owned_;
    Store&                 inner_;
};

}  // namespace imchat::server::metrics
