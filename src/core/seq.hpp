// imchat::core seq bounds (issue 14). The largest seq a message may carry: a seq no server
// makes (negative, or past 2^53, where JSON numbers stop being exact for JS clients) would sort
// after everything and stop every later gap fetch, so such a message is not stored.
#pragma once
#include <cstdint>

namespace imchat::core {

inline constexpr int64_t kMaxSeq = (int64_t{1} << 53) - 1;
inline bool sane_seq(int64_t seq) { return seq >= 0 && seq <= kMaxSeq; }

}  // namespace imchat::core
