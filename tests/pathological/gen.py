#!/usr/bin/env python3
"""Generators of pathological inputs for vbgraph (tests/pathological/run.py).

    python3 tests/pathological/gen.py KIND SIZE OUT

KIND is one of the names in GENERATORS; SIZE is bytes (or, for refs-line,
cues-line, reviews-line and tiny-files, a count).  OUT is a file, or a directory for
tiny-files.  Prints the number of references planted (or -1 when the input
is not meant to have a known number).  Everything is deterministic: the
same arguments give the same bytes.

All sentences are made up for these tests.
"""
import os
import random
import sys

NEAR_MISS = "Nghị quyết số 1-NQ/ "


def repeat_to(unit, size):
    data = unit.encode("utf-8")
    n = size // len(data) + 1
    return (data * n)[:size]


def cut_utf8(data):
    """Drop a trailing partial UTF-8 sequence."""
    i = len(data)
    while i > 0 and (data[i - 1] & 0xC0) == 0x80:
        i -= 1
    if i > 0 and data[i - 1] >= 0xC0:
        need = 2 if data[i - 1] < 0xE0 else 3 if data[i - 1] < 0xF0 else 4
        if len(data) - (i - 1) < need:
            return data[: i - 1]
    return data


def near_miss(size):
    """"Nghị quyết số 1-NQ/ " again and again: every one almost a code."""
    return cut_utf8(repeat_to(NEAR_MISS, size)), -1


def near_miss_mixed(size):
    """Many kinds of almost-references, in lines of a few hundred bytes."""
    units = ["Kế hoạch số 170/KH- ", "Nghị định số 30/2020/NĐ ", "Quyết định số /QĐ-UBND ",
             "Thông tư số 01/ ", "số 12-NQ/TƯ-", "Công văn số 1234/UBND- ",
             "Nghị quyết số -NQ/TW ", "Luật số 80/2015/QH "]
    rnd = random.Random(7)
    out, n = [], 0
    while n < size:
        u = rnd.choice(units)
        if rnd.random() < 0.05:
            u += "\n"
        out.append(u)
        n += len(u.encode("utf-8"))
    return cut_utf8("".join(out).encode("utf-8")[:size]), -1


def digits_dashes(size):
    """Digits, dashes, slashes and dots with few spaces (number look-alikes)."""
    rnd = random.Random(11)
    alphabet = b"0123456789" * 3 + b"---//." + b" "
    data = bytes(rnd.choice(alphabet) for _ in range(min(size, 1 << 16)))
    return (data * (size // len(data) + 1))[:size], -1


def long_line(size):
    """One line of SIZE bytes (no newline at all), words with a reference every
    ~1 KiB.  Returns the exact number of references planted."""
    filler = ("văn bản mẫu cho dòng rất dài không có dấu xuống dòng, các cơ quan "
              "đơn vị phối hợp thực hiện nhiệm vụ được giao theo kế hoạch năm; ")
    fb = filler.encode("utf-8")
    out = bytearray()
    k = 0
    while True:
        ref = ("đã có Kế hoạch số %d/KH-UBND; " % (k + 1)).encode("utf-8")
        block = fb * 7 + ref
        if len(out) + len(block) > size:
            break
        out += block
        k += 1
    pad = size - len(out)
    out += (b"x " * (pad // 2 + 1))[:pad]
    return bytes(out), k


def refs_line(count):
    """COUNT references on one line."""
    s = "".join("Kế hoạch số %d/KH-UBND, " % (i + 1) for i in range(count))
    return s.encode("utf-8"), count


def cues_line(count):
    """COUNT references on one line, each after a relation cue: every one
    stands in one long sentence with all the others."""
    s = "".join("thực hiện Kế hoạch số %d/KH-UBND, " % (i + 1) for i in range(count))
    return s.encode("utf-8"), count


def reviews_line(count):
    """COUNT review cues joined by "và" (no comma): one sentence in which each
    "sơ kết ... thực hiện" looks back for the body that held the review."""
    s = "".join("sơ kết thực hiện Kế hoạch số %d/KH-UBND và " % (i + 1) for i in range(count))
    return s.encode("utf-8"), count


def tiny_files(count, out):
    """COUNT small files in OUT/dNN/ directories, each with one reference."""
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        d = os.path.join(out, "d%02d" % (i % 100))
        if i < 100:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f%05d.txt" % i), "wb") as f:
            f.write(("Theo Kế hoạch số %d/KH-UBND của UBND huyện.\n" % (i + 1)).encode("utf-8"))
    return count


GENERATORS = {
    "near-miss": near_miss,
    "near-miss-mixed": near_miss_mixed,
    "digits-dashes": digits_dashes,
    "long-line": long_line,
    "refs-line": refs_line,
    "cues-line": cues_line,
    "reviews-line": reviews_line,
}


def generate(kind, size, out):
    """Write the input; return the number of references planted (-1: not known)."""
    if kind == "tiny-files":
        return tiny_files(size, out)
    data, n = GENERATORS[kind](size)
    with open(out, "wb") as f:
        f.write(data)
    return n


def main(argv):
    if len(argv) != 4 or (argv[1] not in GENERATORS and argv[1] != "tiny-files"):
        sys.stderr.write(__doc__)
        sys.stderr.write("kinds: %s tiny-files\n" % " ".join(GENERATORS))
        return 2
    print(generate(argv[1], int(argv[2]), argv[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
