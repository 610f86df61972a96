#!/usr/bin/env bash
# What is in the web client: app.wasm's sections (wabt's wasm-objdump -h), its biggest
# functions with their share of the code section, the code by origin (our core / UI / web
# platform, Dear ImGui, nlohmann::json, libc++, libc...), and app.js's size.
#
# Function names: the optimised app.wasm has none, so the app is linked once more into a
# temporary folder with --emit-symbol-map (same objects, same flags; the script checks that
# the wasm it gets is byte for byte the served one), and the map names the functions.
#
# Usage: bench/wasm_size.sh [--top 40] [--build-dir build-web]      (after shell/build web)
# Needs: wabt (wasm-objdump), emscripten, llvm-cxxfilt (or c++filt).
set -euo pipefail
cd "$(dirname "$0")/.."
TOP=40
BUILD=build-web
while [ $# -gt 0 ]; do
  case "$1" in
    --top) TOP="$2"; shift 2 ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wasm-objdump >/dev/null || { echo "wasm-objdump missing: apt-get install wabt" >&2; exit 1; }
SITE="$BUILD/site"
# Served names: build-web/site/manifest.json (logical -> served) when the site has one.
served() {
  if [ -f "$SITE/manifest.json" ]; then
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m.get(sys.argv[2], sys.argv[2]))' "$SITE/manifest.json" "$1"
  else
    echo "$1"
  fi
}
WASM="$SITE/$(served app.wasm)"
APPJS="$SITE/$(served app.js)"
[ -f "$WASM" ] || { echo "$WASM missing: build the web client first (shell/build web)" >&2; exit 1; }

size() { stat -c %s "$1"; }
gzsize() { gzip -9 -c "$1" | wc -c; }
brsize() { if command -v brotli >/dev/null; then brotli -q 11 -c "$1" | wc -c; else echo -; fi; }
echo "== files (bytes: raw / gzip -9 / brotli -q 11)"
for f in "$WASM" "$APPJS"; do
  printf '%-34s %9s %9s %9s\n' "$(basename "$f")" "$(size "$f")" "$(gzsize "$f")" "$(brsize "$f")"
done

echo
echo "== app.wasm sections (wasm-objdump -h)"
wasm-objdump -h "$WASM" | python3 -c '
import re, sys
rows = [(m.group(1), int(m.group(2), 16), m.group(3) or "") for m in
        (re.search(r"^\s*(\S+) start=\S+ end=\S+ \(size=(0x[0-9a-f]+)\)\s*(?:count: (\d+))?", l) for l in sys.stdin) if m]
total = sum(s for _, s, _ in rows)
for name, s, c in rows:
    print(f"{name:10} {s:9d}  {100 * s / total:5.1f}%  " + (c + " entries" if c else ""))
'

# Relink with a symbol map into a temporary folder.
LINK="$BUILD/src/platform_web/CMakeFiles/app.dir/link.txt"
[ -f "$LINK" ] || { echo "$LINK missing: configure the web build" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck disable=SC1091
[ -f ./emsdk.env ] && source ./emsdk.env
cmd=$(sed -e "s| -o [^ ]*app.js | -o $TMP/app.js --emit-symbol-map |" "$LINK")
( cd "$BUILD/src/platform_web" && eval "$cmd" ) >/dev/null 2>"$TMP/link.err" || { cat "$TMP/link.err" >&2; exit 1; }
SYMS="$TMP/app.js.symbols"
bodies() { wasm-objdump -x -j Code "$1" | sed -n 's/^ - func\[\([0-9]*\)\] size=\([0-9]*\).*/\1 \2/p'; }
bodies "$TMP/app.wasm" > "$TMP/bodies"
bodies "$WASM" > "$TMP/served"
# binaryen orders equal-ranked types and functions differently from run to run: compare sizes.
if cmp -s "$TMP/app.wasm" "$WASM"; then same="identical to the served app.wasm"
elif [ "$(size "$TMP/app.wasm")" = "$(size "$WASM")" ] && \
     cmp -s <(cut -d' ' -f2 "$TMP/bodies" | sort -n) <(cut -d' ' -f2 "$TMP/served" | sort -n); then
  same="same size and function bodies as the served app.wasm, in another order"
else same="NOT the served one ($(size "$TMP/app.wasm") vs $(size "$WASM") bytes): rebuild the web client; sizes below are the relinked one's"; fi
echo
echo "== functions (relinked with --emit-symbol-map: $same)"
DEMANGLE=$(command -v llvm-cxxfilt || command -v c++filt || echo cat)
python3 - "$TMP/bodies" "$SYMS" "$TOP" "$DEMANGLE" <<'PY'
import subprocess, sys, re
bodies, syms, top, demangle = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = {}
for l in open(syms, encoding='utf-8', errors='replace'):
    i, _, n = l.rstrip('\n').partition(':')
    # The map escapes what is not an identifier character as \XX (hex).
    if i.isdigit(): names[int(i)] = re.sub(r'\\([0-9a-f]{2})', lambda m: chr(int(m.group(1), 16)), n)
rows = [(int(i), int(s)) for i, s in (l.split() for l in open(bodies))]
raw = [names.get(i, f'func[{i}]') for i, _ in rows]
if demangle != 'cat':
    out = subprocess.run([demangle], input='\n'.join(raw) + '\n', capture_output=True, text=True).stdout.split('\n')
    raw = [d if d else r for d, r in zip(out, raw)]
short = lambda n: re.sub(r'nlohmann::json_abi_v[0-9_]+::', 'nlohmann::', n.replace('std::__2::', 'std::'))
dem = [short(n) for n in raw]
total = sum(s for _, s in rows)
print(f'{len(rows)} functions, {total} bytes of bodies')
print(f'\n-- the {top} biggest')
for (i, s), n in sorted(zip(rows, dem), key=lambda x: -x[0][1])[:top]:
    print(f'{s:8d} {100 * s / total:5.1f}%  {n[:140]}')
# Origin from the (demangled) name; first match wins.
origins = [
    ('imchat core', r'imchat::core::|\bimchat::(Session|req|ev)\b'),
    ('imchat protocol', r'imchat::protocol::|imchat::proto::'),
    ('imchat ui', r'imchat::ui::'),
    ('imchat web platform', r'imchat::web::|^imchat_|\bimchat::js::|^main$|web_app'),
    ('imchat (other)', r'imchat::'),
    ('nlohmann::json', r'nlohmann::'),
    ('Dear ImGui', r'ImGui|^Im[A-Z]|^stb|stbtt|stbrp|stbi|ImFont|ImDraw|ImVector|ImPool|ImChunk|ImSpan|ImBit|ImStr|ImTextStr|ImTriangle|ImHash|ImFormat|ImParse|ImUpperPower|ImGl|ImGui_Impl'),
    ('libc++ (std::)', r'std::|__cxa|__cxxabiv1|operator new|operator delete|__gxx|__dynamic_cast|typeinfo|vtable'),
    ('emscripten/libc', r'^_?(emscripten|__?syscall|em_|dlmalloc|dlfree|emmalloc|malloc|free|calloc|realloc|memcpy|memset|memmove|strlen|str|mem|printf|vfprintf|fmt|pop_arg|__|sn?printf|v?sn?printf|fwrite|fputs|fputc|frexp|wcrtomb|wctomb|pthread|isdigit|atoi|strto|qsort|sqrt|pow|exp|log|sin|cos|tan|fmod|floor|ceil|round|scalbn|abort|exit|getenv|time|clock|gettimeofday|localtime|mktime|tz|sbrk|stackAlloc|stackSave|stackRestore|dynCall|legalstub|orig\$)'),
]
groups = {}
for (i, s), n in zip(rows, dem):
    for name, rx in origins:
        if re.search(rx, n):
            break
    else:
        name = 'unnamed/other'
    groups.setdefault(name, [0, 0])
    groups[name][0] += s; groups[name][1] += 1
print('\n-- code by origin (by demangled name)')
for name, (s, c) in sorted(groups.items(), key=lambda x: -x[1][0]):
    print(f'{s:8d} {100 * s / total:5.1f}%  {c:5d} functions  {name}')
PY
