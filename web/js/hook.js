// Test hook (documented in README "Test hook"; tests depend on it): window.imchat.
import { ready, withCString, json } from './bridge.js';

export function install() {
  window.imchat = {
    // JSON state of the client.
    snapshot() {
      if (!ready()) return null;
      return json(Module._imchat_snapshot());
    },
    // Codepoints of `text` the UI's glyph atlas cannot draw now. A pure query: text gets its
    // glyphs by being drawn (on screen), not by being asked about.
    missingGlyphs(text) {
      if (!ready()) return null;
      return withCString(text, (p) => json(Module._imchat_missing_glyphs(p)));
    },
    // Frames drawn and their CPU time since the last reset:
    // {frames, textures, texture_kb, ui_avg_ms, ui_p95_ms, total_avg_ms, total_max_ms} (total
    // includes GL submission; textures: decoded images held now, texture_kb their size).
    perf(reset = false) {
      if (!ready()) return null;
      return json(Module._imchat_perf(reset ? 1 : 0));
    },
    // The texture budget in bytes (default 48 MiB): the least recently drawn images over it
    // are let go and decoded again when drawn.
    imageBudget(bytes) {
      if (ready()) Module._imchat_image_budget(bytes);
    },
    // Named controls drawn in the last frame, in CSS pixels: [{id, x, y, w, h}].
    targets() {
      if (!ready()) return [];
      return json(Module._imchat_targets());
    },
    // What the last frame drew that has no target: ["avatar:<id>:<initial>" | "avatar:<id>:img",
    // "group-avatar:<id>:<faces>", "sep:<time separator label>"].
    drawn() {
      if (!ready()) return [];
      return json(Module._imchat_drawn());
    },
  };
}
