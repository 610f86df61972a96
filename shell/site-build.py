#!/usr/bin/env python3
"""Builds the served site (build-web/site) from the staged Emscripten output.

  app.<hash>.js     the page's modules (web/js, entry main.js) bundled and minified by
                    esbuild, followed by Emscripten's app.js minified inside a function
                    scope: one script request.
                    The modules run first and set window.Module, which app.js reads.
  app.<hash>.wasm   the module, as linked
  fonts/ui.<hash>.ttf  the fallback font
  index.html        web/index.html with every logical name ("app.js", "app.wasm",
                    "fonts/ui.ttf") replaced by its hashed name
  manifest.json     logical name -> served name (tests and the bench read it)

Every served file gets a gzip twin (zopfli, or gzip -9) and a brotli -q 11 twin. The output folder is
rebuilt from scratch (built beside it, then swapped in), so no stale name lingers.

Usage: site-build.py --stage DIR --web DIR --out DIR [--esbuild esbuild] [--brotli brotli] [--gzip gzip]
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, **kw).stdout


def hashed(name, data):
    """app.wasm -> app.1a2b3c4d.wasm (first 8 hex of the content's SHA-256)."""
    stem, ext = os.path.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:8]}{ext}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", required=True, help="folder with app.js, app.wasm, fonts/ui.ttf")
    ap.add_argument("--web", required=True, help="web/ sources: index.html, js/main.js")
    ap.add_argument("--out", required=True, help="site folder to (re)create")
    ap.add_argument("--esbuild", default="esbuild")
    ap.add_argument("--brotli", default="brotli")
    ap.add_argument("--gzip", default="gzip")
    a = ap.parse_args()

    # The page's modules as one classic script (an IIFE), then app.js: document order
    # inside one file is what <script type=module> + <script defer> gave before.
    modules = run([a.esbuild, os.path.join(a.web, "js/main.js"), "--bundle", "--format=iife",
                   "--minify", "--target=es2020", "--log-level=warning"])
    # Emscripten's glue in a function scope, so the minifier may rename its top-level
    # names too (2 KB less gzip); window.Module, set by the modules, is its one interface.
    glue = open(os.path.join(a.stage, "app.js"), "rb").read()
    app_js = run([a.esbuild, "--minify", "--target=es2020", "--loader=js", "--log-level=warning"],
                 input=b"(function () {\nvar Module = window.Module;\n" + glue + b"\n})();\n")
    files = {  # logical name -> bytes
        "app.js": modules + b"\n" + app_js,
        "app.wasm": open(os.path.join(a.stage, "app.wasm"), "rb").read(),
        "fonts/ui.ttf": open(os.path.join(a.stage, "fonts/ui.ttf"), "rb").read(),
    }
    manifest = {"index.html": "index.html"}
    for name, data in files.items():
        manifest[name] = hashed(name, data)

    # Logical names appear quoted in index.html (href="app.wasm", src="app.js",
    # window.IMCHAT_ASSETS = {font: 'fonts/ui.ttf'}); each must appear at least once.
    page = open(os.path.join(a.web, "index.html"), encoding="utf-8").read()
    for name in files:
        found = False
        for q in ('"', "'"):
            if q + name + q in page:
                page = page.replace(q + name + q, q + manifest[name] + q)
                found = True
        if not found:
            sys.exit(f"site-build: index.html never names {name!r}")
    files["index.html"] = page.encode("utf-8")

    out = os.path.abspath(a.out)
    tmp = out + ".new"
    shutil.rmtree(tmp, ignore_errors=True)
    for name, data in files.items():
        path = os.path.join(tmp, manifest[name])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        # Same hashed name, same bytes: the last build's twins are reused (brotli -q 11
        # of the font takes seconds).
        old = os.path.join(out, manifest[name])
        if name != "index.html" and all(os.path.isfile(old + ext) for ext in (".gz", ".br")):
            for ext in (".gz", ".br"):
                shutil.copyfile(old + ext, path + ext)
            continue
        if os.path.basename(a.gzip) == "zopfli":
            run([a.gzip, "--gzip", path])   # writes path.gz, keeps path (no name or time stored)
        else:
            run([a.gzip, "-9", "-n", "-k", "-f", path])
        run([a.brotli, "-q", "11", "-k", "-f", path])
    with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    for name in sorted(files):
        served = os.path.join(out, manifest[name])
        sizes = [os.path.getsize(served + ext) for ext in ("", ".gz", ".br")]
        print(f"site: {manifest[name]:<28} {sizes[0]:>9} raw {sizes[1]:>9} gz {sizes[2]:>9} br")


if __name__ == "__main__":
    main()
