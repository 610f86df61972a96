// The SQLite store's schema and the one-time upgrades of databases made by older
// versions (used by store_sqlite.cpp when opening, and by the conversation state).
#pragma once

namespace imchat::server::sqlite_store {

inline constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, device_id TEXT UNIQUE,
  password_hash TEXT, token_hash TEXT, status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL,
  userset TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS users_token ON users(token_hash);
CREATE TABLE IF NOT EXISTS chat_groups (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, user_id INTEGER NOT NULL, name TEXT NOT NULL,
  avatar TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '', invite_confirm INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS group_users (
  group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, nickname TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE INDEX IF NOT EXISTS group_users_user ON group_users(user_id);
CREATE TABLE IF NOT EXISTS conversations (conv TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS invite_codes (user_id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS contacts (
  user_id INTEGER NOT NULL, peer_id INTEGER NOT NULL, create_time INTEGER NOT NULL, PRIMARY KEY (user_id, peer_id));
CREATE TABLE IF NOT EXISTS ack_cursors (
  user_id INTEGER NOT NULL, conv TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, conv));
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY, conv TEXT NOT NULL, seq INTEGER NOT NULL,
  from_id INTEGER NOT NULL, from_name TEXT NOT NULL, from_avatar TEXT NOT NULL,
  to_id INTEGER NOT NULL, to_name TEXT NOT NULL, to_avatar TEXT NOT NULL,
  chat_type TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, options TEXT NOT NULL,
  create_time INTEGER NOT NULL, isremove INTEGER NOT NULL DEFAULT 0, client_msg_id TEXT,
  UNIQUE (conv, seq), UNIQUE (from_id, client_msg_id));
)SQL";

// ---- Per user and conversation state
// Its own table, so databases made before it keep working: created when missing and, on
// that first start, filled from what the old schema knows (kConvBackfill*).
inline constexpr const char* kConvSchema = R"SQL(
CREATE TABLE IF NOT EXISTS conv_state (
  user_id INTEGER NOT NULL, conv TEXT NOT NULL, chat_type TEXT NOT NULL, target_id INTEGER NOT NULL,
  joined_seq INTEGER NOT NULL DEFAULT 0, read_seq INTEGER NOT NULL DEFAULT 0,
  delivered_seq INTEGER NOT NULL DEFAULT 0, hidden_seq INTEGER NOT NULL DEFAULT -1,
  activity_time INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user_id, conv));
)SQL";

// Group members without a row (an old database; kConvBackfillOneUser narrows it to user ?1): joined
// at the last message older than their membership row; read and delivered at their ack cursor.
inline constexpr const char* kConvBackfillGroups = R"SQL(
INSERT OR IGNORE INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, delivered_seq,
                                  activity_time)
SELECT gu.user_id, 'group:' || gu.group_id, 'group', gu.group_id,
  coalesce((SELECT max(m.seq) FROM messages m WHERE m.conv = 'group:' || gu.group_id
            AND m.create_time < gu.create_time), 0),
  coalesce((SELECT a.seq FROM ack_cursors a WHERE a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id), 0),
  coalesce((SELECT a.seq FROM ack_cursors a WHERE a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id), 0),
  gu.create_time
FROM group_users gu
WHERE gu.status != 2 AND NOT EXISTS
  (SELECT 1 FROM conv_state c WHERE c.user_id = gu.user_id AND c.conv = 'group:' || gu.group_id)
)SQL";
inline constexpr const char* kConvBackfillOneUser = " AND gu.user_id = ?1";

// 1:1 conversations of an old database, for both sides; read up to the last message (the old
// client kept its read state to itself), delivered from the start (the old server never did).
inline constexpr const char* kConvBackfillSingles = R"SQL(
INSERT OR IGNORE INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, activity_time)
SELECT u, conv, 'single', peer, 0, (SELECT last_seq FROM conversations c WHERE c.conv = x.conv), min(t) FROM (
  SELECT from_id AS u, to_id AS peer, conv, create_time AS t FROM messages WHERE chat_type = 'single'
  UNION ALL
  SELECT to_id, from_id, conv, create_time FROM messages WHERE chat_type = 'single') x
GROUP BY u, conv
)SQL";

// Every conversation of user ?1: groups it is in (pending too) and its 1:1 rows.
inline constexpr const char* kConvOfUser = R"SQL(
SELECT 'group:' || gu.group_id, 'group', gu.group_id, gu.status, coalesce(cs.joined_seq, 0),
  coalesce(cs.read_seq, 0), coalesce(cs.delivered_seq, 0), coalesce(cs.hidden_seq, -1),
  max(coalesce(cs.activity_time, 0), gu.create_time), coalesce(c.last_seq, 0), coalesce(a.seq, 0)
FROM group_users gu
LEFT JOIN conv_state cs ON cs.user_id = gu.user_id AND cs.conv = 'group:' || gu.group_id
LEFT JOIN conversations c ON c.conv = 'group:' || gu.group_id
LEFT JOIN ack_cursors a ON a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id
WHERE gu.user_id = ?1
UNION ALL
SELECT cs.conv, 'single', cs.target_id, 1, cs.joined_seq, cs.read_seq, cs.delivered_seq, cs.hidden_seq,
  cs.activity_time, coalesce(c.last_seq, 0), coalesce(a.seq, 0)
FROM conv_state cs
LEFT JOIN conversations c ON c.conv = cs.conv
LEFT JOIN ack_cursors a ON a.user_id = cs.user_id AND a.conv = cs.conv
WHERE cs.user_id = ?1 AND cs.chat_type = 'single'
ORDER BY 1
)SQL";

// Join requests (issue 9): the reason and time of a pending member's request.
inline constexpr const char* kSchemaJoinRequests = R"SQL(
CREATE TABLE IF NOT EXISTS join_requests (
  group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',
  request_time INTEGER NOT NULL, PRIMARY KEY (group_id, user_id));
)SQL";

// Upload quota (issue 13): bytes uploaded per user and UTC day.
inline constexpr const char* kSchemaUploadQuota = R"SQL(
CREATE TABLE IF NOT EXISTS upload_quota (
  user_id INTEGER NOT NULL, day INTEGER NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (user_id, day));
)SQL";

// Issue 14: servers poll the disabled accounts (a few, if any): a partial index keeps it cheap.
inline constexpr const char* kSchemaDisabledUsers = R"SQL(
CREATE INDEX IF NOT EXISTS users_disabled ON users(id) WHERE status != 1;
)SQL";

}  // namespace imchat::server::sqlite_store
