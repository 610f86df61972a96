// The folder BlobStore: <dir>/<32 hex>.<ext>, and <dir>/<32 hex>.<ext>.name holding the
// original file name of a `file` upload (UTF-8, as the client sent it; for the download).
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "server/blob/blob_store.hpp"

namespace imchat::server {

namespace {

void write_whole(const std::filesystem::path& to, std::string_view bytes) {
    const auto tmp = to.string() + ".part";
    {
        errno = 0;
        std::ofstream f(tmp, std::ios::binary);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.close();   // the last buffered bytes are written here: a full disk shows now, not in a destructor
        if (!f) {
            // errno names the cause (ENOSPC, EROFS): store_errors.hpp maps those to 503, not 500.
            const int err = errno ? errno : EIO;
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            throw std::system_error(err, std::generic_category(), "cannot write upload");
        }
    }
    std::filesystem::rename(tmp, to);   // whole or not at all
}

class FileBlobStore final : public BlobStore {
public:
    explicit FileBlobStore(std::string dir) : dir_(std::move(dir)) { std::filesystem::create_directories(dir_); }

    std::string put(std::string_view bytes, const std::string& ext, const std::string& original_name) override {
        unsigned char raw[16];
        randombytes_buf(raw, sizeof raw);
        char hex[sizeof raw * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        const std::string name = std::string(hex) + "." + ext;
        // The name first: once the file is there, its download has its name.
        if (!original_name.empty()) write_whole(std::filesystem::path(dir_) / (name + ".name"), original_name);
        write_whole(std::filesystem::path(dir_) / name, bytes);
        return name;
    }

    std::string path_of(const std::string& name) const override { return (std::filesystem::path(dir_) / name).string(); }

private:
    std::string dir_;
};
}  // namespace

std::unique_ptr<BlobStore> make_file_blob_store(const std::string& dir) { return std::make_unique<FileBlobStore>(dir); }

std::string blob_original_name(const std::string& dir, const std::string& name) {
    std::ifstream f(std::filesystem::path(dir) / (name + ".name"), std::ios::binary);
    if (!f) return {};
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace imchat::server
