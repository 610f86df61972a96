// imchat::server operations (issue 14): disabled accounts reach running servers.
// `imchat-server --disable-user NAME` only writes the store (users.status = 0); every running
// server process polls the store's disabled ids (a partial index: cheap) every interval and
// closes the sockets it holds for them with 4003 (the client stops and shows the reason).
// Works for one SQLite process (the command opens the same file) and for several processes
// on PostgreSQL alike, with or without Redis. HTTP calls with the account's token are refused
// at once (403 账号已被禁用), without waiting for the poll, since every call reads the user row.
#pragma once
#include <cstdint>
#include <memory>

namespace imchat::server {

class Store;
class Hub;
class Scheduler;

class DisabledWatch {
public:
    DisabledWatch(Store& store, Hub& hub, Scheduler& scheduler, int64_t interval_ms);
    ~DisabledWatch();   // stops rescheduling; a tick already running finishes with the objects it was given
    void start();
    // One poll now (tests): the number of sockets closed.
    int  tick();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace imchat::server
