#!/usr/bin/env python3
"""Helpers for tests/bad/run.sh: build the bad-input fixtures, inspect JSON Lines output.

    helpers.py fixtures DIR          write the fixtures into DIR and print NAME=VALUE lines
                                     (expected byte offsets and counts) for the shell
    helpers.py big FILE              write the 200 MB one-line file, print its NAME=VALUE lines
    helpers.py valid OUT             every line of OUT is a JSON object with the core fields
    helpers.py keys OUT PATH         the keys of PATH's records, one per line, in output order
    helpers.py has OUT PATH KEY...   PATH's records include every KEY
    helpers.py none OUT PATH         OUT has no record for PATH
    helpers.py count OUT PATH        how many records OUT has for PATH
    helpers.py files OUT             the distinct "file" values, in order of first appearance
    helpers.py field OUT PATH KEY F  field F of the first record of PATH with key KEY
    helpers.py exact OUT PATH START KEY...
                                     PATH's keys are exactly KEY... (each once) and the record of
                                     KEY number i starts at byte START + i*STEP (see the code)
    helpers.py verify OUT [DASH]     for every record: surface == file bytes [start, end) and
                                     line == 1 + newlines before start; "-" records are checked
                                     against the file DASH

Failures are explained on stdout (run.sh prints them under the "not ok" line) and give exit 1.
Only the Python standard library is used.  Files are read in pieces, never whole, so that the
200 MB fixture costs no memory here either.
"""
import json
import os
import sys

CORE = ("file", "start", "end", "line", "surface", "key")
MIB = 1 << 20


# ---------------------------------------------------------------- fixtures

# A good input: three references, one of them with its type word broken across a line.
GOOD = ("Ủy ban nhân dân tỉnh ban hành Kế hoạch số 38/KH-UBND ngày 12/02/2025 triển khai\n"
        "thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n"
        "Văn bản điện tử được xử lý theo Nghị\n"
        "định số 30/2020/NĐ-CP của Chính phủ.\n")
GOOD_KEYS = ["38/KH-UBND", "57-NQ/TW", "30/2020/NĐ-CP"]

# A second good input with other keys, so that records can be told apart by key too.
GOOD2 = ("Thực hiện Kết luận số 114-KL/TW ngày 14-7-2015 của Ban Bí thư Trung ương Đảng,\n"
         "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 95-KH/TU ngày 2-10-2015.\n")
GOOD2_KEYS = ["114-KL/TW", "95-KH/TU"]

# Filler with no digits, no slash and no type word followed by a number.
FILLER = "Đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ người dân và doanh nghiệp. "


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def fixtures(d):
    os.makedirs(d, exist_ok=True)
    out = {}
    good = GOOD.encode()
    write(os.path.join(d, "good.txt"), good)
    write(os.path.join(d, "good2.txt"), GOOD2.encode())

    # Same text with CRLF, with a BOM, with both.
    crlf = good.replace(b"\n", b"\r\n")
    bom = b"\xef\xbb\xbf"
    write(os.path.join(d, "crlf.txt"), crlf)
    write(os.path.join(d, "bom.txt"), bom + good)
    write(os.path.join(d, "bom-crlf.txt"), bom + crlf)

    # Binary: the start of a real executable (NUL within the first bytes), and a text
    # with a reference before a single NUL byte.
    try:
        with open("/bin/ls", "rb") as f:
            elf = f.read(4096)
    except OSError:
        elf = b""
    if b"\0" not in elf:  # no /bin/ls: an ELF-like header does as well
        elf = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4
    write(os.path.join(d, "ls.bin"), elf)
    out["LS_NUL"] = elf.index(b"\0")
    text_nul = ("Căn cứ Kế hoạch số 77/KH-UBND ngày 01/3/2025.\n".encode()
                + b"\0" + "Quyết định số 88/QĐ-UBND.\n".encode())
    write(os.path.join(d, "nul-in-text.txt"), text_nul)
    out["TEXT_NUL"] = text_nul.index(b"\0")

    # Invalid UTF-8 in the middle: two lone 0xFF bytes (each one bad sequence under any
    # counting), a reference before them and one after them.
    before = "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị,\n".encode()
    mid = (b"m\xe1\xba\xabu \xff b\xe1\xbb\x8b l\xe1\xbb\x97i; "
           b"ti\xe1\xba\xbfp \xff theo\n")
    after = "Ủy ban nhân dân tỉnh ban hành Kế hoạch số 38/KH-UBND ngày 12/02/2025.\n".encode()
    inv = before + mid + after
    write(os.path.join(d, "invalid-mid.txt"), inv)
    out["INV_BAD_AT"] = inv.index(b"\xff")
    out["INV_FIRST_START"] = inv.index("Nghị quyết số 57-NQ/TW".encode())
    out["INV_SECOND_START"] = inv.index("Kế hoạch số 38/KH-UBND".encode())
    out["INV_SECOND_END"] = out["INV_SECOND_START"] + len("Kế hoạch số 38/KH-UBND".encode())
    out["INV_SECOND_LINE"] = inv[:out["INV_SECOND_START"]].count(b"\n") + 1

    # A multi-byte sequence cut short at the very end of the file ("ế" is E1 BA BF).
    trunc = "Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ.\nHết ".encode() + b"\xe1\xba"
    write(os.path.join(d, "truncated-end.txt"), trunc)
    out["TRUNC_AT"] = len(trunc) - 2

    write(os.path.join(d, "empty.txt"), b"")

    # Chunk boundaries: references every few dozen bytes in windows of +-4 KiB around
    # 1, 2 and 3 MiB, a multi-byte character split exactly at 1 MiB, plain filler elsewhere.
    out.update(boundary(os.path.join(d, "boundary.txt")))
    return out


def boundary(path):
    """References every few dozen bytes in windows of +-4 KiB around 1, 2 and 3 MiB, so
    that whatever the reader's piece boundaries near there, some reference straddles one;
    a 3-byte character ("ế") exactly across the 1 MiB mark; whole filler phrases elsewhere."""
    buf = bytearray()
    want = []
    filler = FILLER.encode()

    def fill_to(limit):
        while len(buf) + len(filler) <= limit:
            buf.extend(filler)
        buf.extend(b" " * (limit - len(buf)))

    def refs_to(limit):
        while len(buf) < limit:
            key = f"{len(want) + 1}/KH-UBND"
            want.append((key, len(buf)))
            buf.extend(f"Kế hoạch số {key}; ".encode())

    for k in (1, 2, 3):
        fill_to(k * MIB - 4096)
        if k == 1:
            refs_to(MIB - 64)
            fill_to(MIB - 1)
            buf.extend("ế ".encode())        # bytes MIB-1, MIB, MIB+1 are E1 BA BF
        refs_to(k * MIB + 4096)
        buf.extend(b"\n")
    buf.extend(filler + b"\n")
    assert bytes(buf[MIB - 1:MIB + 2]) == "ế".encode(), "boundary fixture is misaligned"
    write(path, bytes(buf))
    with open(path + ".expect", "w") as f:
        for key, start in want:
            f.write(f"{key}\t{start}\n")
    return {"BOUNDARY_REFS": len(want)}


def big(path, size=200 * 1000 * 1000, every=1000 * 1000):
    """One line of about `size` bytes (no newline) with a reference every `every` bytes or so,
    cut only at spaces so that no reference is glued to the word before it."""
    filler = FILLER.encode()
    block = filler * (every // len(filler) + 1)
    written = 0
    n = 0
    with open(path, "wb") as f, open(path + ".expect", "w") as e:
        while written < size:
            n += 1
            ref = f"Kế hoạch số {n}/KH-UBND ".encode()
            e.write(f"{n}/KH-UBND\t{written}\n")
            seg = ref + block[: max(0, min(every, size - written) - len(ref))]
            while seg and seg[-1] >= 0x80:    # never cut inside a multi-byte character
                seg = seg[:-1]
            cut = seg.rfind(b" ")             # nor inside a word: the next reference
            if cut >= len(ref):               # must not be glued to it
                seg = seg[:cut + 1]
            f.write(seg)
            written += len(seg)
    return {"BIG_REFS": n, "BIG_SIZE": written}


# ---------------------------------------------------------------- output checks

def load(out):
    recs, bad = [], []
    with open(out, "rb") as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
                if not isinstance(r, dict):
                    raise ValueError("not a JSON object")
                missing = [k for k in CORE if k not in r]
                if missing:
                    raise ValueError("missing fields " + ",".join(missing))
                recs.append(r)
            except ValueError as e:
                bad.append(f"stdout line {n}: {e}: {line[:100]!r}")
    return recs, bad


def records(out, path=None):
    recs, bad = load(out)
    if bad:
        print("\n".join(bad[:5]))
        sys.exit(1)
    return [r for r in recs if path is None or r["file"] == path]


def cmd_exact(out, path, expect_file):
    """PATH's records are exactly those listed in EXPECT_FILE (key TAB start), each once."""
    want = []
    with open(expect_file) as f:
        for line in f:
            key, start = line.rstrip("\n").split("\t")
            want.append((key, int(start)))
    got = [(r["key"], r["start"]) for r in records(out, path)]
    if sorted(got, key=lambda x: x[1]) == want:
        return 0
    wset, gset = set(want), set(got)
    print(f"expected {len(want)} references, got {len(got)}")
    for k, s in sorted(wset - gset, key=lambda x: x[1])[:5]:
        print(f"missing {k} at byte {s}")
    for k, s in sorted(gset - wset, key=lambda x: x[1] if isinstance(x[1], int) else 0)[:5]:
        print(f"unexpected {k} at byte {s}")
    dups = len(got) - len(gset)
    if dups:
        print(f"{dups} duplicate records")
    return 1


def cmd_verify(out, dash=None):
    recs = records(out)
    byfile = {}
    for r in recs:
        byfile.setdefault(r["file"], []).append(r)
    errors = []
    for name, rs in byfile.items():
        path = dash if name == "-" else name
        if path is None:
            continue
        try:
            f = open(path, "rb")
        except OSError as e:
            errors.append(f"{name}: cannot open to verify: {e}")
            continue
        with f:
            rs.sort(key=lambda r: (r["start"], r["end"]))
            pos, lines = 0, 1
            for r in rs:
                s, e = r["start"], r["end"]
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e):
                    errors.append(f"{name}: bad offsets {s}..{e}")
                    continue
                if s < pos:          # overlapping records: recount from the start
                    f.seek(0)
                    pos, lines = 0, 1
                while pos < s:       # count newlines in pieces
                    piece = f.read(min(MIB, s - pos))
                    if not piece:
                        break
                    lines += piece.count(b"\n")
                    pos += len(piece)
                f.seek(s)
                data = f.read(e - s)
                f.seek(pos)
                if data != r["surface"].encode("utf-8", "surrogatepass"):
                    errors.append(f"{name}: bytes {s}..{e} are {data[:60]!r}, "
                                  f"surface is {r['surface'][:40]!r}")
                if r["line"] != lines:
                    errors.append(f"{name}: {r['surface'][:30]!r} at byte {s}: "
                                  f"line {r['line']}, expected {lines}")
    if errors:
        print("\n".join(errors[:8]))
        if len(errors) > 8:
            print(f"... and {len(errors) - 8} more")
        return 1
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "fixtures":
        for k, v in fixtures(args[0]).items():
            print(f"{k}={v}")
    elif cmd == "big":
        for k, v in big(args[0]).items():
            print(f"{k}={v}")
    elif cmd == "valid":
        records(args[0])
    elif cmd == "keys":
        for r in records(args[0], args[1]):
            print(r["key"])
    elif cmd == "has":
        got = [r["key"] for r in records(args[0], args[1])]
        missing = [k for k in args[2:] if k not in got]
        if missing:
            print(f"{args[1]}: missing {', '.join(missing)}; got {', '.join(map(str, got)) or 'nothing'}")
            return 1
    elif cmd == "none":
        got = records(args[0], args[1])
        if got:
            print(f"{len(got)} records for {args[1]}, e.g. {got[0]['surface']!r}")
            return 1
    elif cmd == "count":
        print(len(records(args[0], args[1])))
    elif cmd == "files":
        seen = []
        for r in records(args[0]):
            if r["file"] not in seen:
                seen.append(r["file"])
        print("\n".join(seen))
    elif cmd == "field":
        for r in records(args[0], args[1]):
            if r["key"] == args[2]:
                print(json.dumps(r.get(args[3]), ensure_ascii=False))
                return 0
        print(f"no record with key {args[2]}")
        return 1
    elif cmd == "exact":
        return cmd_exact(args[0], args[1], args[2])
    elif cmd == "verify":
        return cmd_verify(args[0], args[1] if len(args) > 1 else None)
    else:
        print(f"unknown helper command {cmd}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
