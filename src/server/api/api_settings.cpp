// Settings: the user's chat settings (who may message them) and profile.
// userset: {"chatset":{"visitor":{"sendCount":0|1|2,"needFollow":bool},"user":{...}}};
// sendCount: may guests message me: never / one message / unlimited (default 1).
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/api/sniff.hpp"

namespace imchat::server {

using namespace detail;

Response Api::get_userset(Ctx& c) {
    Json j = parse_json(store_.userset(c.user.id));
    if (j.is_discarded() || !j.is_object()) j = Json{{"chatset", {{"visitor", {{"sendCount", 1}, {"needFollow", false}}}}}};
    return ok(j);
}

Response Api::set_userset(Ctx& c) {
    Json j = c.body.contains("userset") && c.body["userset"].is_string()
                 ? parse_json(c.body["userset"].get<std::string>())
                 : c.body.value("userset", Json());
    if (j.is_discarded() || !j.is_object() || j.dump().size() > 4096) return fail(kErrBadParam);
    const Json* visitor = nullptr;
    if (auto cs = j.find("chatset"); cs != j.end() && cs->is_object())
        if (auto v = cs->find("visitor"); v != cs->end()) visitor = &*v;
    if (visitor) {
        const int64_t n = read_int(*visitor, "sendCount", 1);
        if (n < 0 || n > 2) return fail(kErrBadParam);
    }
    store_.set_userset(c.user.id, j.dump());
    return ok(j);
}

// {nickname} and/or {avatar} (issue 13: our upload URL of kind image, or "" for none). A
// body with neither sets the nickname to "" (as before avatars).
Response Api::update_userinfo(Ctx& c) {
    const bool has_avatar = c.body.is_object() && c.body.contains("avatar");
    const bool has_nickname = c.body.is_object() && c.body.contains("nickname");
    const std::string nickname = read_str(c.body, "nickname");
    const std::string avatar = read_str(c.body, "avatar");
    if (has_nickname || !has_avatar)
        if (char_count(nickname) > 20 || !valid_utf8(nickname)) return fail(kErrName);
    UploadKind kind;
    if (has_avatar && !avatar.empty() && !(upload_url_kind(avatar, kind) && kind == UploadKind::image))
        return fail(kErrAvatarUrl);
    if (has_nickname || !has_avatar) store_.set_nickname(c.user.id, nickname);
    if (has_avatar) store_.set_avatar(c.user.id, avatar);
    return ok(user_json(*store_.user_by_id(c.user.id)));
}

}  // namespace imchat::server
