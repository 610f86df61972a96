// imchat::protocol users as the wire carries them (register/login answers,
// the stored user), and the small typed answers about people.
#pragma once
#include <cstdint>
#include <string>

#include "protocol/json_read.hpp"

namespace imchat::protocol {

struct User {
    int64_t     id = 0;
    std::string username, nickname, avatar, role, token;   // role: "visitor" | "user"
    std::string display_name() const { return nickname.empty() ? username : nickname; }
};

User read_user(const Json& j);         // tolerant; role defaults to "visitor"
Json to_json(const User& u);           // the stored form (with the token)

// contactInfo/:code answers: whose personal QR code this is.
struct ContactInfo {
    int64_t     id = 0;
    std::string name;
    bool        is_self = false;
    bool        is_contact = false;
};
ContactInfo read_contact_info(const Json& j);

}  // namespace imchat::protocol
