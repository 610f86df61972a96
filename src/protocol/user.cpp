#include "protocol/user.hpp"

namespace imchat::protocol {

User read_user(const Json& j) {
    User u;
    if (!j.is_object()) return u;
    u.id       = read_int(j, "id");
    u.username = read_str(j, "username");
    u.nickname = read_str(j, "nickname");
    u.avatar   = read_str(j, "avatar");
    u.role     = read_str(j, "role", "visitor");
    u.token    = read_str(j, "token");
    return u;
}

Json to_json(const User& u) {
    return Json{{"id", u.id}, {"username", u.username}, {"nickname", u.nickname},
                {"avatar", u.avatar}, {"role", u.role}, {"token", u.token}};
}

ContactInfo read_contact_info(const Json& j) {
    return ContactInfo{read_int(j, "id"), read_str(j, "name"), read_bool(j, "is_self"), read_bool(j, "is_contact")};
}

}  // namespace imchat::protocol
