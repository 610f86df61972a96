// imchat::core the session's vocabulary: events in (socket, HTTP, clock, user)
// and actions out (open socket, send, HTTP, persist). The UI and the platform
// emit and execute these; Session::handle maps one to the other.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "protocol/message.hpp"

namespace imchat::core {

using protocol::ConversationKey;

// ---- events ---------------------------------------------------------------
namespace ev {
struct Start {
    std::string href;          // page URL (QR link)
    std::string origin;        // server origin for HTTP, e.g. "http://192.168.1.5:8080"
    std::string language;      // navigator.language
    std::string device_id;     // stored device id ("" on first visit)
    std::string user_json;     // stored user ("" if none)
    int64_t     now = 0;
    std::string outbox_json;   // unsent messages kept across reloads
    std::string cache_json;    // last messages per conversation, shown before the socket is up
    std::string played_json;   // voice messages played on this device (core/media.hpp)
};
struct HttpDone        { int id = 0; int status = 0; std::string body; };  // status 0: network error
struct SocketOpened    {};
struct SocketMessage   { std::string text; };
struct SocketClosed    { int code = 1006; std::string reason; };
struct Tick            { int64_t now = 0; };
struct SendText        { std::string text; std::string type = "text"; };   // type "image": text is the upload URL; "emoticon": a sticker key
// A handle the page keeps for a JS Blob: shown at once as a pending bubble, uploaded, then sent.
// `preview`: a blob: URL of the picked image the bubble shows while it uploads ("" for none).
struct UploadImage     { int blob = 0; std::string preview; };
struct OpenConversation{ ConversationKey conv; std::string title; };   // title: for a new 1:1 chat
struct ShowList        {};
struct NetworkOnline   {};     // `online`, visibility visible, `pageshow`, "retry now"
struct NetworkOffline  {};     // the browser says it has no network
struct RetrySend       { std::string client_msg_id; };
struct LoadEarlier     {};     // scrolled to the top of the open conversation
struct DismissModal    {};     // the user acknowledged the modal
struct ShowLogin       {};
struct SignIn          { std::string username, password; bool create = false; };   // create: register first
struct Logout          {};
struct RequestJoin     { std::string reason; };        // apply to the group on the join screen
struct ShowGroupInfo   {};                              // of the open group
struct GroupAction     { std::string action; int64_t user_id = 0; std::string text; int value = 0; };
                       // rename | remark | nickname | policy | mute | unmute | remove | approve | reject | quit
struct Recall          { int64_t message_id = 0; };
struct ShowSettings    {};
struct SaveSettings    { std::string nickname; int send_count = 1; std::string language; };   // "zh-CN" | "en"
struct CreateGroup     { std::string name; };
struct ShowInvite      {};                              // the open group's invite picker
struct Invite          { int64_t user_id = 0; };        // invite this candidate into the open group
struct HideConversation{ ConversationKey conv; };       // long-press / right-click on a list row
struct PageVisibility  { bool visible = true; };        // document.visibilityState
struct UploadAvatar    { int blob = 0; };              // a cropped square JPEG the page keeps: upload, then set it
// Voice messages (core/media.hpp): a recording the page keeps (upload, then send it as `audio`),
// and what the page's <audio> element plays (playing: started; false: ended, paused, failed).
struct UploadVoice     { int blob = 0; int seconds = 0; };
struct VoiceState      { int64_t message_id = 0; bool playing = false; };
// Issue 13 files and videos (session_uploads.cpp): the page keeps the Blobs until told to drop them.
struct UploadMedia     { int blob = 0; std::string kind; std::string name; int64_t size = 0;   // kind "file" | "video"
                         int poster_blob = 0; double duration = 0; };
struct UploadProgress  { int http_id = 0; int64_t loaded = 0; int64_t total = 0; };   // XHR upload.onprogress
struct CancelUpload    { std::string client_msg_id; };   // the x on a pending or failed upload
}  // namespace ev
using Event = std::variant<ev::Start, ev::HttpDone, ev::SocketOpened, ev::SocketMessage,
                           ev::SocketClosed, ev::Tick, ev::SendText, ev::OpenConversation,
                           ev::ShowList, ev::NetworkOnline, ev::RetrySend, ev::LoadEarlier,
                           ev::DismissModal, ev::ShowLogin, ev::SignIn, ev::Logout, ev::NetworkOffline,
                           ev::RequestJoin, ev::ShowGroupInfo, ev::GroupAction, ev::Recall, ev::ShowSettings,
                           ev::SaveSettings, ev::CreateGroup, ev::UploadImage, ev::ShowInvite, ev::Invite,
                           ev::HideConversation, ev::PageVisibility, ev::UploadAvatar,
                           ev::UploadVoice, ev::VoiceState, ev::UploadMedia, ev::UploadProgress, ev::CancelUpload>;

// ---- actions --------------------------------------------------------------
namespace act {
struct Http        { int id = 0; std::string method, url, token, body; int blob = 0;   // blob != 0: send that Blob as the body
                     bool keep_blob = false; };   // keep it after sending (a retry may send it again)
struct OpenSocket  { std::string url; };
struct SendSocket  { std::string text; };
struct CloseSocket { int code = 1000; std::string reason; };
struct Persist     { std::string key, value; };   // empty value: remove the key
// Abort the upload request http_id if it is in flight (0: none) and forget the kept Blobs.
struct DropUpload  { int http_id = 0; int blob = 0; int poster_blob = 0; };
}  // namespace act
using Action = std::variant<act::Http, act::OpenSocket, act::SendSocket, act::CloseSocket,
                            act::Persist, act::DropUpload>;

}  // namespace imchat::core
