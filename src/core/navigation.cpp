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
    convs.push_back(Conversation{k, "", 0, 0});
    return convs.back();
}

const Conversation* Navigation::find(const ConversationKey& k) const {
    for (const auto& c : convs) if (c.key == k) return &c;
    return nullptr;
}

void Navigation::remove(const ConversationKey& k) {
    convs.erase(std::remove_if(convs.begin(), convs.end(), [&](const auto& c) { return c.key == k; }), convs.end());
}

}  // namespace imchat::core
