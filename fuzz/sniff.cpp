// Fuzz target: upload content sniffing (api/sniff): any bytes judge to one of our kinds with one
// of our extensions, whose kind and served type agree; the upload-URL check on the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/api/sniff.hpp"

using namespace imchat::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const Sniffed s = sniff_upload(bytes);
    UploadKind k;
    FUZZ_CHECK(kind_of_ext(s.ext, k));
    FUZZ_CHECK(k == s.kind);
    FUZZ_CHECK(!upload_mime(s.ext).empty());
    FUZZ_CHECK(!kind_name(s.kind).empty());
    if (upload_url_kind(bytes, k)) FUZZ_CHECK(bytes.rfind("/uploads/", 0) == 0);
    (void)kind_of_ext(bytes, k);
    (void)upload_mime(bytes);
    return 0;
}
