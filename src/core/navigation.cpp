#include "core/navigation.hpp"

#include <algorithm>

namespace imchat::core {

const char* to_string(Screen s) {
    switch (s) {
        case Screen::Loading:   return "loading";
        case Screen::Join:      return "join";
        case Screen::Chat:      return "chat";
        case Screen::List:      return "list";
        case Screen::NotFound:  return "not_found";
        case Screen::Login:     return "login";
        case Screen::GroupInfo: return "group_info";
        case Screen::Settings:  return "settings";
        case Screen::Invite:    return "invite";
    }
    return "loading";
}

Conversation& Navigation::conversation(const ConversationKey& k) {
    for (auto& c : convs) if (c.key == k) return c;
    Conversation c;
    c.key = k;
    convs.push_back(std::move(c));
    return convs.back();
}

const Conversation* Navigation::find(const ConversationKey& k) const {
    for (const auto& c : convs) if (c.key == k) return &c;
    return nullptr;
}

LastMessage last_of(const protocol::Message& m) {
    LastMessage l{m.seq, m.from_name, m.type, {}, m.create_time};
    if (m.isremove) l.text = "[消息已撤回]";
    else if (m.type == "image") l.text = "[图片]";
    else if (m.type == "audio") l.text = "[语音]";
    else if (m.type == "video") l.text = "[视频]";
    else if (m.type == "file") l.text = "[文件]";
    else if (m.type == "systemNotice") l.text = m.data;
    else {   // the first 60 code points
        size_t i = 0;
        for (int n = 0; i < m.data.size() && n < 60; ++n) {
            ++i;
            while (i < m.data.size() && (static_cast<unsigned char>(m.data[i]) & 0xC0) == 0x80) ++i;
        }
        l.text = m.data.substr(0, i);
    }
    return l;
}

void note_sender(Conversation& c, const protocol::Message& m, int64_t me) {
    if (m.type == "systemNotice" || m.from_id == 0) return;
    if (c.key.chat_type == "group") remember_face(c.faces, Face{m.from_id, m.from_name, m.from_avatar});
    else if (m.from_id != me && !m.from_avatar.empty()) c.avatar = m.from_avatar;
}

void Navigation::sort_by_activity() {
    std::stable_sort(convs.begin(), convs.end(), [](const Conversation& a, const Conversation& b) {
        return a.update_time > b.update_time;
    });
}

void Navigation::remove(const ConversationKey& k) {
    convs.erase(std::remove_if(convs.begin(), convs.end(), [&](const auto& c) { return c.key == k; }), convs.end());
}

}  // namespace imchat::core
