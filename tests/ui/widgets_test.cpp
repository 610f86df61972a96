#include <gtest/gtest.h>
#include <imgui.h>

#include "ui/widgets.hpp"

using namespace imchat;

namespace {
// A bare ImGui frame (no session) for widgets alone.
struct BareFrame {
    ui::Fonts  fonts;
    ui::Output out;
    ui::Frame  f{fonts, out, core::Lang::En};
    BareFrame() {
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        ImGui::GetIO().DisplaySize = ImVec2(390, 844);
        fonts.rebuild_if_needed(1.0f);
        ImGui::NewFrame();
        ImGui::Begin("w");
    }
    ~BareFrame() {
        ImGui::End();
        ImGui::Render();
        ImGui::DestroyContext();
    }
};
}  // namespace

TEST(Widgets, EllipsizeCutsWholeCharactersToFit) {
    BareFrame b;
    const std::string cut = ui::ellipsize("a very long group name indeed", 80);
    EXPECT_LE(ImGui::CalcTextSize(cut.c_str()).x, 80);
    EXPECT_EQ(cut.substr(cut.size() - 3), "…");
    EXPECT_EQ(ui::ellipsize("short", 80), "short");
    const std::string cjk = ui::ellipsize("群聊名称很长很长很长很长很长", 40);
    EXPECT_EQ(cjk.substr(cjk.size() - 3), "…");
    EXPECT_EQ((cjk.size() - 3) % 3, 0u) << "no half characters";
}

TEST(Widgets, ButtonNamesItsRectangleAndNotesItsText) {
    BareFrame b;
    ImGui::SetCursorPos(ImVec2(20, 30));
    EXPECT_FALSE(ui::button(b.f, "加入", "join_apply", ImVec2(100, 44)));
    ASSERT_EQ(b.out.targets.size(), 1u);
    const ui::Target& t = b.out.targets[0];
    EXPECT_EQ(t.id, "join_apply");
    EXPECT_EQ(t.rect.w, 100);
    EXPECT_EQ(t.rect.h, 44);
    EXPECT_GE(t.rect.x, 20);
    EXPECT_GT(b.fonts.glyph_count(), 0u) << "the CJK label was noted for the atlas";
}

TEST(Widgets, QrBlockDrawsOnlyWithAMatrix) {
    BareFrame b;
    core::Qr empty;
    ui::qr_block(b.f, ui::QrVm{empty, false}, core::Str::ScanToJoin);
    EXPECT_TRUE(b.out.targets.empty());
    core::Qr qr{"http://192.168.1.5:8080/?group=3", 2, {"10", "01"}};
    ui::qr_block(b.f, ui::QrVm{qr, true}, core::Str::ScanToJoin);
    ASSERT_EQ(b.out.targets.size(), 2u);
    EXPECT_EQ(b.out.targets[0].id, "qr");
    EXPECT_EQ(b.out.targets[1].id, "copy_link");
}
