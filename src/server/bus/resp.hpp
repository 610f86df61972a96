// imchat::server RESP (Redis serialization protocol, version 2): a small
// incremental decoder and a command encoder, for the Redis bus. The decoder
// never throws and never reads past its input: each call gives a value, "need
// more bytes", or a protocol error (the connection is then dropped).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imchat::server::resp {

struct Value {
    enum class Type { Simple, Error, Integer, Bulk, Array, Nil };
    Type               type = Type::Nil;
    std::string        str;       // Simple, Error, Bulk
    int64_t            integer = 0;
    std::vector<Value> elements;  // Array
};

enum class Status { Value, NeedMore, Error };

struct Limits {
    size_t max_bulk = 64u << 20;    // one bulk string
    size_t max_elements = 1u << 20; // one array
    int    max_depth = 8;           // nested arrays
};

struct Parsed {
    Status status = Status::NeedMore;
    size_t consumed = 0;  // bytes of input the value used (Status::Value only)
    Value  value;
};

// Decodes one value from the start of `in`.
Parsed parse(std::string_view in, const Limits& limits = {});

// Appends a command as an array of bulk strings (the form Redis expects).
void encode_command(std::string& out, const std::vector<std::string_view>& args);

}  // namespace imchat::server::resp
