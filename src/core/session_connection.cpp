// Session: the connection lifecycle (socket open/close, heartbeat, backoff,
// what close codes mean). State in core/connection.hpp.
#include "core/session.hpp"

#include "core/url.hpp"
#include "protocol/frames.hpp"

namespace imchat::core {

void Session::set_conn(Conn c) {
    conn_.state = c;
    // Each state's timers belong to it alone.
    if (c != Conn::Connecting) timers_.stop(Timer::Connect);
    if (c != Conn::Online) { timers_.stop(Timer::Ping); timers_.stop(Timer::Stable); }
    if (c != Conn::Backoff) timers_.stop(Timer::Reconnect);
}

void Session::open_socket(std::vector<Action>& out) {
    if (user_.token.empty() || conn_.state == Conn::Kicked) return;
    if (conn_.socket_up()) return;   // exactly one socket
    set_conn(Conn::Connecting);
    timers_.set(Timer::Connect, now_ + timing_.connect_timeout_ms);
    out.push_back(act::OpenSocket{ws_origin_ + "/ws?token=" + percent_encode(user_.token) + "&ack=1"});
}

void Session::enter_backoff() {
    set_conn(Conn::Backoff);
    conn_.retry_at = now_ + conn_.backoff.next(rng_);
    timers_.set(Timer::Reconnect, conn_.retry_at);
}

void Session::on_socket_opened(std::vector<Action>& out) {
    if (conn_.state != Conn::Connecting) return;
    set_conn(Conn::Online);
    conn_.missed_pongs = 0;
    timers_.set(Timer::Ping, now_ + timing_.ping_interval_ms);
    timers_.set(Timer::Stable, now_ + timing_.stable_after_ms);
    // Sync: what we sent but never saw acknowledged, the conversation list
    // with each latest seq, and whatever the open conversation missed.
    resend_unsent(out);
    for (auto& c : nav_.convs) c.read_asked = c.read_seq;   // a read that failed is asked again
    if (!user_.token.empty()) request_group_list(out);
    if (nav_.open && delivery_.history_loaded.count(*nav_.open))
        fetch_history(*nav_.open, delivery_.store.last_seq(*nav_.open), out);
}

void Session::on_socket_message(const ev::SocketMessage& e, std::vector<Action>& out) {
    using Kind = protocol::ServerFrame::Kind;
    if (conn_.state != Conn::Online) return;
    auto f = protocol::parse_server_frame(e.text);
    if (!f) return;
    changed_ = f->kind != Kind::Pong && f->kind != Kind::Ping && f->kind != Kind::System;
    switch (f->kind) {
        case Kind::Pong: conn_.missed_pongs = 0; break;
        case Kind::Chat: receive(f->message, out); break;
        case Kind::Fail: notify(f->text); break;   // a close with a code follows
        default: break;
    }
}

void Session::on_socket_closed(const ev::SocketClosed& e, std::vector<Action>& out) {
    if (!conn_.socket_up()) return;
    switch (close_action(e.code)) {
        case CloseAction::ReRegister:
            token_invalid(out);
            return;
        case CloseAction::Kicked:
            if (busy<req::SignIn>() || busy<req::SignUp>()) {
                set_conn(Conn::Idle);   // our own login replaced this session: not "elsewhere"
                return;
            }
            kicked(out);
            return;
        case CloseAction::Disabled:
            set_conn(Conn::Offline);
            notify(e.reason);
            return;
        case CloseAction::Backoff:
            enter_backoff();
            return;
    }
}

void Session::on_network_online(std::vector<Action>& out) {
    conn_.network_offline = false;
    if (conn_.state == Conn::Backoff || conn_.state == Conn::Offline) open_socket(out);
    timers_.stop(Timer::Bootstrap);
    advance(out);
}

void Session::connection_timers(std::vector<Action>& out) {
    if (timers_.expired(Timer::Connect, now_)) {
        timers_.stop(Timer::Connect);
        out.push_back(act::CloseSocket{1000, "connect timeout"});
        enter_backoff();
    }
    // One state's timer per tick: a timer armed by this tick waits for the next.
    else if (timers_.expired(Timer::Ping, now_)) {
        timers_.stop(Timer::Ping);
        if (conn_.missed_pongs >= timing_.max_missed_pongs) {
            out.push_back(act::CloseSocket{1000, "heartbeat timeout"});
            enter_backoff();
        } else {
            out.push_back(act::SendSocket{protocol::make_ping(user_.token, now_)});
            ++conn_.missed_pongs;
            timers_.set(Timer::Ping, now_ + timing_.ping_interval_ms);
        }
    }
    else if (timers_.expired(Timer::Reconnect, now_)) {
        timers_.stop(Timer::Reconnect);
        open_socket(out);
    }
    if (timers_.expired(Timer::Stable, now_)) {
        timers_.stop(Timer::Stable);
        conn_.backoff.reset();   // a stable connection: the next drop retries quickly again
    }
}

}  // namespace imchat::core
