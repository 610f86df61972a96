// imchat::protocol non-throwing JSON readers. Every decoder of network data
// goes through these: a field of an unexpected type reads as the default, so
// no server or client input can throw (the web build has exception catching
// off, so a throw there aborts the app).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imchat::protocol {

using Json = nlohmann::json;

// Parses text; a discarded (null) Json on malformed input, never throws.
Json        parse_json(std::string_view text);
// j[key] as an integer: numbers (integral or not) and decimal strings; else `def`.
int64_t     read_int(const Json& j, const char* key, int64_t def = 0);
// j[key] as a string: strings as they are, numbers in decimal; else `def`.
std::string read_str(const Json& j, const char* key, std::string_view def = {});
// j[key] as a bool: booleans, and numbers (non-zero is true); else `def`.
bool        read_bool(const Json& j, const char* key, bool def = false);
// j[key] when it is an object / array; else a static empty one.
const Json& read_obj(const Json& j, const char* key);
const Json& read_arr(const Json& j, const char* key);

}  // namespace imchat::protocol
