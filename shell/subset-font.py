#!/usr/bin/python3
"""Makes the client's UI font: a subset of Debian's WenQuanYi Micro Hei with
ASCII, Latin-1, common punctuation and all GB2312 hanzi (levels 1 and 2).
Usage: subset-font.py OUT.ttf [SRC.ttc]"""
import sys
from fontTools import subset
from fontTools.ttLib import TTFont

out = sys.argv[1]
src = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
chars |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
for hi in range(0xA1, 0xF8):          # GB2312 rows: symbols (A1-A9) and hanzi (B0-F7)
    for lo in range(0xA1, 0xFF):
        try:
            chars |= {ord(c) for c in bytes([hi, lo]).decode("gb2312")}
        except UnicodeDecodeError:
            pass

font = TTFont(src, fontNumber=0)
opts = subset.Options()
opts.layout_features = []
opts.hinting = False
opts.name_IDs = [0, 1, 2, 3, 4, 5, 6]
opts.notdef_outline = True
sub = subset.Subsetter(opts)
sub.populate(unicodes=sorted(chars))
sub.subset(font)
font.save(out)
print(f"subset-font: {len(chars)} codepoints -> {out}")
