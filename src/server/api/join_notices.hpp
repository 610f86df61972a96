// imchat::server JoinNotices: coalesces a group's join notices (issue 10). Without
// it every join posts a stored notice fanned out to every member: O(n²) for n joins.
//
// Per group: the first join of a quiet group is posted at once (its own text, as
// before) and opens a window; joins within the window are collected; when the window
// ends (Scheduler::after) they are posted as ONE notice and the window starts again;
// a window that ends with nothing collected closes, and the group is quiet again.
// So a group gets at most one join notice per window. Thread-safe; no I/O of its own.
//
// Texts: one join: its own text ("A 加入了群聊", "X 邀请 A 加入了群聊"); two or three:
// "A、B、C 加入了群聊"; more: "A、B、C 等 37 人加入了群聊".
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace imchat::server {

class JoinNotices {
public:
    static constexpr size_t kNamesShown = 3;

    // A join of `name` into `group_id`, `single_text` its notice if it is posted alone.
    // True: the group was quiet; post `single_text` now and schedule flush() after the window.
    // False: collected for the window's notice.
    bool add(int64_t group_id, const std::string& name, const std::string& single_text) {
        std::lock_guard lk(mu_);
        auto [it, quiet] = groups_.try_emplace(group_id);
        if (quiet) return true;
        Window& w = it->second;
        if (w.count == 0) w.single = single_text;
        if (w.names.size() < kNamesShown) w.names.push_back(name);
        ++w.count;
        return false;
    }

    // The window of `group_id` ended: the notice to post (then schedule flush() again),
    // or nullopt when nothing was collected (the group is quiet again).
    std::optional<std::string> flush(int64_t group_id) {
        std::lock_guard lk(mu_);
        auto it = groups_.find(group_id);
        if (it == groups_.end()) return std::nullopt;
        if (it->second.count == 0) {
            groups_.erase(it);
            return std::nullopt;
        }
        Window w = std::move(it->second);
        it->second = Window{};
        return text(w);
    }

    // A window is open for the group (its joins are being collected).
    bool open(int64_t group_id) const { std::lock_guard lk(mu_); return groups_.count(group_id) > 0; }

    // Groups with an open window (tests).
    size_t open_windows() const { std::lock_guard lk(mu_); return groups_.size(); }

private:
    struct Window {
        std::vector<std::string> names;   // the first kNamesShown collected
        std::string              single;  // the first one's own text
        int64_t                  count = 0;
    };
    static std::string text(const Window& w) {
        if (w.count == 1) return w.single;
        std::string t;
        for (size_t i = 0; i < w.names.size(); ++i) t += (i ? "、" : "") + w.names[i];
        if (w.count > static_cast<int64_t>(w.names.size())) t += " 等 " + std::to_string(w.count) + " 人加入了群聊";
        else t += " 加入了群聊";
        return t;
    }

    mutable std::mutex                     mu_;
    std::unordered_map<int64_t, Window>    groups_;
};

}  // namespace imchat::server
