#include "core/platform.hpp"

namespace imchat::core {

void Runner::start(const std::string& href, const std::string& origin, const std::string& language, int64_t now) {
    const std::string chosen = storage_.get(kKeyLang);   // the user's choice beats the browser's
    dispatch(ev::Start{href, origin, chosen.empty() ? language : chosen, storage_.get(kKeyDevice), storage_.get(kKeyUser), now,
                       storage_.get(kKeyOutbox), storage_.get(kKeyCache), storage_.get(kKeyPlayed)});
}

void Runner::dispatch(const Event& e) {
    for (const auto& a : session_.handle(e)) execute(a);
}

void Runner::execute(const Action& a) {
    std::visit([this](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, act::Http>) http_.request(x);
        else if constexpr (std::is_same_v<T, act::OpenSocket>) socket_.open(x.url);
        else if constexpr (std::is_same_v<T, act::SendSocket>) socket_.send(x.text);
        else if constexpr (std::is_same_v<T, act::CloseSocket>) socket_.close(x.code, x.reason);
        else if constexpr (std::is_same_v<T, act::Persist>) storage_.set(x.key, x.value);
        else if constexpr (std::is_same_v<T, act::DropUpload>) http_.drop_upload(x);
    }, a);
}

}  // namespace imchat::core
