// imchat::server BlobStore: uploaded files (images). Implementations: a folder
// (default, blob_files.cpp); an object store later for several machines.
// Guarantees: put() returns a new unguessable name, stores the bytes whole or
// throws; names match [0-9a-f]{32}\.(png|jpg|gif|webp).
#pragma once
#include <memory>
#include <string>

namespace imchat::server {

class BlobStore {
public:
    virtual ~BlobStore() = default;
    virtual std::string put(const std::string& bytes, const std::string& ext) = 0;   // -> name
    virtual std::string path_of(const std::string& name) const = 0;                  // for serving
};

std::unique_ptr<BlobStore> make_file_blob_store(const std::string& dir);

// The image type of `bytes` judged by content (magic numbers), or "" if none we accept.
std::string sniff_image(const std::string& bytes);

}  // namespace imchat::server
