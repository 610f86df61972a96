#include "ui/prompts.hpp"

namespace imchat::ui {

std::vector<core::Event> prompt_events(const std::string& key, const std::string& text) {
    std::vector<core::Event> ev;
    if (key == "reason") ev.push_back(core::ev::RequestJoin{text});
    else if (key == "create") ev.push_back(core::ev::CreateGroup{text});
    else if (key == "rename" || key == "remark" || key == "nickname")
        ev.push_back(core::ev::GroupAction{key, 0, text, 0});
    else if (key == "mynick") ev.push_back(core::ev::SaveSettings{text, -1, ""});
    return ev;
}

}  // namespace imchat::ui
