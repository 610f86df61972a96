// imchat::core the HTTP requests a session has in flight, one type per kind,
// carrying exactly what its answer needs. The id -> Request table replaces a
// catch-all struct; each kind's answer handler sits with its component.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "protocol/message.hpp"

namespace imchat::core::req {

using protocol::ConversationKey;

// identity / account (session_identity.cpp)
struct Register     {};                                        // POST visitorRegister
struct SignUp       { std::string username, password; };       // regChat, then loginChat with these
struct SignIn       {};                                        // loginChat / visitor{reg,login}Chat
struct Logout       {};
// groups and joins (session_groups.cpp)
struct GroupInfo    {};                                        // the scanned link's group
struct Join         { ConversationKey conv; };
struct GroupDetail  { ConversationKey conv; };                 // the open group's members
struct GroupQr      { ConversationKey conv; };
struct GroupAction  { ConversationKey conv; std::string action; };   // rename | quit | ...
struct CreateGroup  {};
struct InviteCandidates { ConversationKey conv; };             // whom the open group's member may invite
struct Invite       { ConversationKey conv; int64_t user_id = 0; };
struct GroupList    {};                                        // conversationList: groups and 1:1, last message, unread
struct ConvRead     { ConversationKey conv; int64_t seq = 0; };  // conversationRead up to seq
struct ConvHide     { ConversationKey conv; };                 // conversationHide
// contacts (session_contacts.cpp)
struct ContactInfo  {};
struct AddContact   {};
// delivery (session_delivery.cpp)
struct History      { ConversationKey conv; int64_t after_seq = -1; int64_t before_seq = 0; };
                      // after_seq -1: the latest page; before_seq > 0: "load earlier"
struct Send         { ConversationKey conv; std::string client_msg_id; };
struct Recall       { ConversationKey conv; };
struct MediaUpload  { std::string client_msg_id; bool poster = false; };   // a photo, voice, file or video (or a video's poster) for that message
// settings (session_settings.cpp)
struct Settings     {};
struct SaveSettings {};
struct MyQr         {};
struct AvatarUpload {};                                      // my new avatar image
struct SaveAvatar   { std::string url; };                    // updateUserinfo {avatar}

}  // namespace imchat::core::req

namespace imchat::core {
using Request = std::variant<req::Register, req::SignUp, req::SignIn, req::Logout, req::GroupInfo, req::Join,
                             req::GroupDetail, req::GroupQr, req::GroupAction, req::CreateGroup, req::GroupList,
                             req::ConvRead, req::ConvHide,
                             req::ContactInfo, req::AddContact, req::History, req::Send, req::Recall,
                             req::Settings, req::SaveSettings, req::MyQr,
                             req::InviteCandidates, req::Invite, req::AvatarUpload, req::SaveAvatar,
                             req::MediaUpload>;
}  // namespace imchat::core
