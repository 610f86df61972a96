// imchat fuzz targets: a small world for the server API targets, like tests/server/api_fixture.hpp:
// a real Api over in-memory SQLite and the in-process bus, with a fixed clock, and an in-memory
// blob store (uploads run through multipart and sniffing without touching the disk). The targets
// keep one for a number of inputs and then make it anew (its set-up costs more than a request).
//   alice  a registered user ("user"), owner of group `open_gid` (anyone joins) and
//          `approve_gid` (join requests), in a 1:1 conversation with bob
//   bob    a guest ("visitor"), member of the open group, pending in the other
// Inputs name their tokens by placeholders, replaced before the request is handled:
//   @A@ alice's token, @B@ bob's token; @GO@ / @GA@ the open / approval group's id.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "server/api/api.hpp"

namespace imchat::fuzz {

class MemoryBlobs final : public server::BlobStore {
public:
    std::string put(std::string_view bytes, const std::string& ext, const std::string&) override {
        const std::string name = std::string(32 - std::to_string(n_).size(), '0') + std::to_string(n_) + "." + ext;
        ++n_;
        files_[name] = std::string(bytes);
        return name;
    }
    std::string path_of(const std::string& name) const override { return "/nonexistent/" + name; }
private:
    int n_ = 0;
    std::map<std::string, std::string> files_;
};

struct ApiWorld {
    std::unique_ptr<server::Store> store = server::make_sqlite_store(":memory:");
    std::unique_ptr<server::Bus>   bus = server::make_memory_bus();
    MemoryBlobs                    blobs;
    server::Api api{*store, *bus, [] { return int64_t{1'700'000'000'000}; },
                    server::ApiConfig{"http://192.168.1.5:8080"}, &blobs};
    server::UserRow alice, bob;
    std::string     alice_token, bob_token;
    int64_t         open_gid = 0, approve_gid = 0;

    ApiWorld() {
        const int64_t now = api.now();
        alice = store->create_user("alice", "Alice", "user", now);
        bob = store->create_user("", "游客", "visitor", now);
        alice_token = api.issue_token(alice.id);
        bob_token = api.issue_token(bob.id);
        open_gid = store->create_group(alice.id, "开放群", 0, now).id;
        approve_gid = store->create_group(alice.id, "审核群", 1, now).id;
        store->add_member(open_gid, bob.id, 1, now);
        store->add_member(approve_gid, bob.id, 2, now);
        // A few messages through the API, as clients send them.
        for (const char* text : {"你好", "hello", "third"}) {
            server::Request r;
            r.method = "POST";
            r.path = "/api/chat/socket/sendmessage";
            r.token = alice_token;
            r.body = protocol::Json{{"sendto_id", open_gid}, {"chatType", "group"}, {"type", "text"},
                                    {"data", text}, {"options", ""}}.dump();
            api.handle(r);
        }
        server::Request r;
        r.method = "POST";
        r.path = "/api/chat/socket/sendmessage";
        r.token = bob_token;
        r.body = protocol::Json{{"sendto_id", alice.id}, {"chatType", "single"}, {"type", "text"},
                                {"data", "hi alice"}, {"options", ""}}.dump();
        api.handle(r);
    }

    // The placeholders replaced in `s`.
    void substitute(std::string& s) const {
        const std::pair<const char*, std::string> subs[] = {
            {"@A@", alice_token}, {"@B@", bob_token},
            {"@GO@", std::to_string(open_gid)}, {"@GA@", std::to_string(approve_gid)}};
        for (const auto& [from, to] : subs)
            for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
                s.replace(p, std::char_traits<char>::length(from), to);
    }
};

}  // namespace imchat::fuzz
