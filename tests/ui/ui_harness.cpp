#include "ui_harness.hpp"

namespace imchat::ui::testing {

UiHarness::UiHarness(float w, float h) {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;   // no imgui.ini next to the test binary
    io.DisplaySize = ImVec2(w, h);
    io.DeltaTime = 1.0f / 60.0f;
    ui.apply_style();
    fonts.rebuild_if_needed(1.0f);   // no TTF natively: ImGui's default font
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);   // what a renderer would upload
}

UiHarness::~UiHarness() { ImGui::DestroyContext(ctx_); }

std::vector<core::Action>& UiHarness::feed(const core::Event& e) { last = s.handle(e); return last; }

core::act::Http UiHarness::http_to(const std::string& part) const {
    for (const auto& a : last)
        if (const auto* h = std::get_if<core::act::Http>(&a); h && h->url.find(part) != std::string::npos) return *h;
    ADD_FAILURE() << "no HTTP request to " << part;
    return {};
}

bool UiHarness::asked(const std::string& part) const {
    for (const auto& a : last)
        if (const auto* h = std::get_if<core::act::Http>(&a); h && h->url.find(part) != std::string::npos) return true;
    return false;
}

void UiHarness::reply(const core::act::Http& h, int status, const Json& body) {
    feed(core::ev::HttpDone{h.id, status, body.dump()});
}

void UiHarness::answer(const std::string& part, const Json& data) { reply(http_to(part), 200, ok(data)); }

Json UiHarness::user_json(int64_t id, const std::string& role) const {
    return Json{{"id", id}, {"username", role == "user" ? "alice01" : "VIS01234567"}, {"role", role}, {"token", kToken}};
}

Json UiHarness::group_json(bool member, int policy, int64_t owner) const {
    Json g{{"id", 3}, {"name", "imchat 演示群"}, {"invite_confirm", policy}, {"member_count", 2}, {"user_id", owner}};
    if (member) g["group_users"] = Json::array({{{"user_id", kMe}, {"status", 1}, {"role", owner == kMe ? "owner" : "member"}}});
    return g;
}

Json UiHarness::chat_frame(int64_t id, int64_t seq, int64_t from, const std::string& text, const std::string& type) {
    return Json{{"type", "singleChat"}, {"timestamp", 1},
                {"data", {{"id", id}, {"seq", seq}, {"from_id", from}, {"from_name", "bob"}, {"to_id", 3},
                          {"chatType", "group"}, {"type", type}, {"data", text}, {"create_time", 1000}}}};
}

void UiHarness::start(const std::string& href, const Json& user) {
    feed(core::ev::Start{href, kOrigin, "zh-CN", kDevice, user.dump(), now});
}

void UiHarness::to_chat(int64_t owner) {
    start(std::string(kOrigin) + "/?group=3", user_json());
    const core::act::Http info = http_to("/api/chat/groupinfo/3");
    feed(core::ev::SocketOpened{});
    reply(info, 200, ok(group_json(true, 0, owner)));
    // An owner's chat also asks for the group (its pending join requests): answered alike.
    const std::optional<core::act::Http> detail =
        asked("/api/chat/groupinfo/3") ? std::optional(http_to("/api/chat/groupinfo/3")) : std::nullopt;
    answer("/api/chat/history/group/3", Json{{"list", Json::array()}});
    if (detail) reply(*detail, 200, ok(group_json(true, 0, owner)));
    ASSERT_EQ(s.screen(), core::Screen::Chat);
}

void UiHarness::to_list(const std::string& role) {
    start(std::string(kOrigin) + "/", user_json(kMe, role));
    const core::act::Http list = http_to("/api/chat/conversationList");
    feed(core::ev::SocketOpened{});
    reply(list, 200, ok(Json::array({{{"chatType", "group"}, {"id", 3}, {"name", "imchat 演示群"}},
                                     {{"chatType", "group"}, {"id", 4}, {"name", "left group"}, {"my_status", -1}}})));
    ASSERT_EQ(s.screen(), core::Screen::List);
}

void UiHarness::dispatch(const Output& o) {
    for (const auto& e : o.events) feed(e);
}

Output UiHarness::frame() {
    fonts.rebuild_if_needed(1.0f);   // new glyphs noted by the last frame
    ImGui::NewFrame();
    out = ui.draw(s);
    ImGui::Render();
    return out;
}

const Target* UiHarness::find(const std::string& id) const {
    for (const auto& t : out.targets) if (t.id == id) return &t;
    return nullptr;
}

int UiHarness::count_prefix(const std::string& prefix) const {
    int n = 0;
    for (const auto& t : out.targets) n += t.id.rfind(prefix, 0) == 0;
    return n;
}

namespace {
void merge(Output& into, Output&& o) {
    for (auto& e : o.events) into.events.push_back(std::move(e));
    for (auto& p : o.prompts) into.prompts.push_back(std::move(p));
    for (auto& a : o.announce) into.announce.push_back(std::move(a));
    for (auto& u : o.load_images) into.load_images.push_back(std::move(u));
    if (!o.copy_text.empty()) into.copy_text = o.copy_text;
    if (!o.open_image.empty()) into.open_image = o.open_image;
    if (!o.download_url.empty()) { into.download_url = o.download_url; into.download_name = o.download_name; }
    if (!o.play_video.empty()) into.play_video = o.play_video;
    into.pick_avatar = into.pick_avatar || o.pick_avatar;
    if (o.play_voice.id) into.play_voice = o.play_voice;
}
}  // namespace

Output UiHarness::gesture(const std::string& id, int button, int held_frames) {
    Output all;
    const Target* t = find(id);
    if (!t) {
        ADD_FAILURE() << "no target " << id << " in the last frame";
        return all;
    }
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(t->rect.x + t->rect.w / 2, t->rect.y + t->rect.h / 2);
    merge(all, frame());                  // hover
    io.MouseDown[button] = true;
    for (int i = 0; i < held_frames; ++i) merge(all, frame());
    io.MouseDown[button] = false;
    merge(all, frame());                  // release: most widgets fire here
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);   // the finger leaves
    return all;
}

Output UiHarness::tap(const std::string& id, int button) { return gesture(id, button, 1); }

Output UiHarness::hold(const std::string& id, float seconds) {
    return gesture(id, 0, static_cast<int>(seconds / ImGui::GetIO().DeltaTime) + 2);
}

std::string UiHarness::image_in_chat() {
    to_chat();
    const std::string url = "/uploads/0123456789abcdef0123456789abcdef.png";
    feed(core::ev::SocketMessage{chat_frame(7, 1, 20, url, "image").dump()});
    frame();
    return url;
}

}  // namespace imchat::ui::testing
