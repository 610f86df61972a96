// imchat::ui prompts: what the platform's answer to a Prompt (a DOM text field)
// means for the session.
#pragma once
#include <string>
#include <vector>

#include "core/session.hpp"

namespace imchat::ui {

// key: Prompt::key ("reason", "create", "rename", "remark", "nickname", "mynick"); unknown keys mean nothing.
std::vector<core::Event> prompt_events(const std::string& key, const std::string& text);

}  // namespace imchat::ui
