// imchat::server BlobStore: uploaded files. Implementations: a folder (default,
// blob_files.cpp); an object store later for several machines.
// Guarantees: put() returns a new unguessable name, stores the bytes whole or
// throws; names match [0-9a-f]{32}\.<ext> with ext from sniff.hpp's kUploadExtAlternation.
// A file's original name (for its download) is kept beside it.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace imchat::server {

class BlobStore {
public:
    virtual ~BlobStore() = default;
    // -> name. `original_name` (may be empty) is kept for the download's file name.
    virtual std::string put(std::string_view bytes, const std::string& ext, const std::string& original_name = {}) = 0;
    virtual std::string path_of(const std::string& name) const = 0;                  // for serving
};

std::unique_ptr<BlobStore> make_file_blob_store(const std::string& dir);

// The folder store's original name of upload `name` in `dir` ("" if none kept).
std::string blob_original_name(const std::string& dir, const std::string& name);

}  // namespace imchat::server
