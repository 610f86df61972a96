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

// Blobs handed to the core by handle (window.imchatBlobs: picked photos, files, videos and
// their posters, recordings, cropped avatars); the core's request takes one, and it stays
// until the core lets it go. One counter, so no two pickers share a handle.
const blobs = (window.imchatBlobs = window.imchatBlobs || new Map());
let nextBlob = 1;
export function keepBlob(blob) {
  const h = nextBlob++;
  blobs.set(h, blob);
  return h;
}
