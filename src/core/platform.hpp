// imchat::core platform ports: the few things the client needs from its host.
// The browser implements them in src/platform_web (WebSocket, fetch,
// localStorage); tests use the fakes in tests/core/fake_platform.hpp.
// Runner executes a Session's actions on the ports and feeds the ports'
// events back into the session.
#pragma once
#include <string>

#include "core/session.hpp"

namespace imchat::core {

// One WebSocket at a time. After close() (or a new open()) the port must not
// report events from the old socket.
class SocketPort {
public:
    virtual ~SocketPort() = default;
    virtual void open(const std::string& url) = 0;
    virtual void send(const std::string& text) = 0;
    virtual void close(int code, const std::string& reason) = 0;
};

// Fire-and-forget HTTP; the answer comes back as ev::HttpDone{id, ...}.
class HttpPort {
public:
    virtual ~HttpPort() = default;
    virtual void request(const act::Http& r) = 0;
    virtual void drop_upload(const act::DropUpload&) {}   // abort it, forget its Blobs (issue 13)
};

// Small persistent key/value strings (localStorage).
class StoragePort {
public:
    virtual ~StoragePort() = default;
    virtual std::string get(const std::string& key) = 0;
    virtual void        set(const std::string& key, const std::string& value) = 0;   // "" removes
};

class Runner {
public:
    Runner(Session& s, SocketPort& sock, HttpPort& http, StoragePort& store)
        : session_(s), socket_(sock), http_(http), storage_(store) {}

    // Start the session with what the page knows and what storage kept.
    void start(const std::string& href, const std::string& origin, const std::string& language, int64_t now);
    // Feed one event (socket, HTTP, tick, user command) and execute the actions.
    void dispatch(const Event& e);
    Session& session() { return session_; }
    // When to dispatch the next Tick (see Session::next_deadline); INT64_MAX: only on events.
    int64_t  next_deadline() const { return session_.next_deadline(); }

private:
    void execute(const Action& a);
    Session&     session_;
    SocketPort&  socket_;
    HttpPort&    http_;
    StoragePort& storage_;
};

}  // namespace imchat::core
