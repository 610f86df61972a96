// imchat::server transport: the Boost namespace aliases every transport file
// uses. Only transport/*.cpp include this (Beast is slow to compile).
#pragma once
#include <utility>   // before asio: Boost 1.74 uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace imchat::server {

namespace beast     = boost::beast;
namespace http      = beast::http;
namespace websocket = beast::websocket;
namespace net       = boost::asio;
using tcp           = net::ip::tcp;

using HttpRequest  = http::request<http::string_body>;    // every request is read whole
using HttpResponse = http::response<http::string_body>;   // every answer is a string body

}  // namespace imchat::server
