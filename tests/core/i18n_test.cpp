// The one string table: complete in both languages, and every key the DOM page names
// (web/index.html data-i18n*, web/js t('...')) exists in page_strings().
#include "core/i18n.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace imchat::core;

namespace {

std::set<std::string> page_keys() {
    std::set<std::string> keys;
    for (const PageString& s : page_strings()) keys.insert(s.key);
    return keys;
}

std::string read(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST(I18n, EveryStringExistsInBothLanguages) {
    for (int i = 0; i < static_cast<int>(Str::Count_); ++i) {
        EXPECT_STRNE(tr(Lang::ZhCN, static_cast<Str>(i)), "") << "string " << i;
        EXPECT_STRNE(tr(Lang::En, static_cast<Str>(i)), "") << "string " << i;
    }
}

TEST(I18n, LocaleChoosesChineseOnlyForZh) {
    EXPECT_EQ(lang_from_locale("zh-CN"), Lang::ZhCN);
    EXPECT_EQ(lang_from_locale("zh-TW"), Lang::ZhCN);
    EXPECT_EQ(lang_from_locale("en-US"), Lang::En);
    EXPECT_EQ(lang_from_locale(""), Lang::En);
}

TEST(I18n, PageKeysAreUniqueAndTranslated) {
    EXPECT_EQ(page_keys().size(), page_strings().size()) << "duplicate page key";
    for (const PageString& s : page_strings()) {
        if (std::string(s.key) == "LangTag") continue;
        EXPECT_STRNE(tr(Lang::ZhCN, s.str), tr(Lang::En, s.str)) << s.key << " is not translated";
    }
    EXPECT_STREQ(tr(Lang::ZhCN, Str::LangTag), "zh-CN");
    EXPECT_STREQ(tr(Lang::En, Str::LangTag), "en");
}

// A key the page names but the table lacks would show an empty button.
TEST(I18n, EveryKeyThePageNamesExists) {
    const std::filesystem::path web = std::filesystem::path(IMCHAT_SOURCE_DIR) / "web";
    std::string page = read(web / "index.html");
    for (const auto& f : std::filesystem::directory_iterator(web / "js")) page += read(f.path());
    const std::regex use(R"re(data-i18n(?:-[a-z-]+)?="([A-Za-z]+)"|\bt\('([A-Za-z]+)'\))re");
    const std::set<std::string> have = page_keys();
    int found = 0;
    for (std::sregex_iterator it(page.begin(), page.end(), use), end; it != end; ++it) {
        const std::string key = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
        EXPECT_TRUE(have.count(key)) << "the page names \"" << key << "\", which page_strings() lacks";
        ++found;
    }
    EXPECT_GE(found, 10) << "the page's strings were not found where this test looks";
}
