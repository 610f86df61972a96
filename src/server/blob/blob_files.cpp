#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "server/blob/blob_store.hpp"

namespace imchat::server {

std::string sniff_image(const std::string& b) {
    auto starts = [&](std::string_view sig, size_t at = 0) { return b.size() >= at + sig.size() && b.compare(at, sig.size(), sig) == 0; };
    if (starts("\x89PNG\r\n\x1a\n")) return "png";
    if (starts("\xFF\xD8\xFF")) return "jpg";
    if (starts("GIF87a") || starts("GIF89a")) return "gif";
    if (starts("RIFF") && starts("WEBP", 8)) return "webp";
    return "";
}

namespace {
class FileBlobStore final : public BlobStore {
public:
    explicit FileBlobStore(std::string dir) : dir_(std::move(dir)) { std::filesystem::create_directories(dir_); }

    std::string put(const std::string& bytes, const std::string& ext) override {
        unsigned char raw[16];
        randombytes_buf(raw, sizeof raw);
        char hex[sizeof raw * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        const std::string name = std::string(hex) + "." + ext;
        const auto tmp = std::filesystem::path(dir_) / (name + ".part");
        {
            std::ofstream f(tmp, std::ios::binary);
            f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            if (!f) throw std::runtime_error("cannot write upload");
        }
        std::filesystem::rename(tmp, std::filesystem::path(dir_) / name);   // whole or not at all
        return name;
    }

    std::string path_of(const std::string& name) const override { return (std::filesystem::path(dir_) / name).string(); }

private:
    std::string dir_;
};
}  // namespace

std::unique_ptr<BlobStore> make_file_blob_store(const std::string& dir) { return std::make_unique<FileBlobStore>(dir); }

}  // namespace imchat::server
