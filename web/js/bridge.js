// Calls into the WASM app (Module._imchat_*): C strings in, JSON answers out.
// `page` is window.imchatPage, the object main_web's EM_JS imports call; the app's
// exports may be called only once it drew its first frame (main() has run).
export const page = (window.imchatPage = window.imchatPage || {});

export const ready = () => page.ready === true;

// Runs fn with `text` as a NUL-terminated UTF-8 string on the WASM heap.
export function withCString(text, fn) {
  const n = Module.lengthBytesUTF8(text) + 1, p = Module._malloc(n);
  Module.stringToUTF8(text, p, n);
  try { return fn(p); } finally { Module._free(p); }
}

// The app answers JSON in a buffer it owns until its next call.
export const json = (ptr) => JSON.parse(Module.UTF8ToString(ptr));
