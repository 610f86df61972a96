// QR codes (a group's join link, a user's personal code) and contacts: scanning
// someone's personal QR opens "add contact"; contacts may chat 1:1 (guests still
// subject to the receiver's sendCount).
#include "core/url.hpp"
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/qr.hpp"

namespace imchat::server {

using namespace detail;

Response Api::group_qrcode(Ctx& c) {
    // Reference: the same route with chatType=single is the caller's personal QR (`:id` ignored).
    if (core::query_param(c.r.query, "chatType").value_or("group") == "single") return user_qrcode(c);
    auto id = to_int(c.params[0]);
    auto g = id ? store_.group_by_id(*id) : std::nullopt;
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    auto m = store_.member(g->id, c.user.id);
    if (!m || m->status == kPending) return fail(kErrNotInGroup);
    const std::string type = core::query_param(c.r.query, "type").value_or("H5");
    if (type != "H5") return ok(Json{{"id", g->id}, {"name", g->name}});   // reference: non-H5 clients
    // The link is always built from the configured public URL (never the caller's `http`
    // parameter: a QR code must not point wherever a request says).
    return qr_response(join_url(g->id), c.r);
}

Response Api::user_qrcode(Ctx& c) {
    return qr_response(contact_url(store_.invite_code(c.user.id)), c.r);
}

Response Api::qr_response(const std::string& url, const Request& r) {
    const QrMatrix qr = qr_encode(url);
    const std::string format = core::query_param(r.query, "format").value_or("png");
    if (format == "svg") return Response{200, qr_svg(qr), "image/svg+xml"};
    if (format == "matrix") {
        Json rows = Json::array();
        for (int y = 0; y < qr.size; ++y) {
            std::string row;
            for (int x = 0; x < qr.size; ++x) row.push_back(qr.at(x, y) ? '1' : '0');
            rows.push_back(row);
        }
        return ok(Json{{"url", url}, {"size", qr.size}, {"rows", rows}});
    }
    return Response{200, qr_png(qr), "image/png"};
}

std::string Api::contact_url(const std::string& code) const {
    std::string base;
    {
        std::lock_guard lk(url_mu_);
        base = cfg_.public_url;
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/?user=" + code;   // a random code, not the id: ids are guessable
}

Response Api::contact_info(Ctx& c) {
    auto u = store_.user_by_invite_code(std::string(c.params[0]));
    if (!u) return fail(kErrQrInvalid);
    return ok(Json{{"id", u->id}, {"name", display_name(*u)}, {"avatar", u->avatar}, {"role", u->role},
                   {"is_contact", store_.are_contacts(c.user.id, u->id)}, {"is_self", u->id == c.user.id}});
}

Response Api::add_contact(Ctx& c) {
    auto u = store_.user_by_invite_code(read_str(c.body, "code"));
    if (!u) return fail(kErrQrInvalid);
    if (u->id == c.user.id) return fail(kErrSelf);
    store_.add_contact(c.user.id, u->id, clock_());
    return ok(Json{{"id", u->id}, {"name", display_name(*u)}, {"avatar", u->avatar}});
}

}  // namespace imchat::server
