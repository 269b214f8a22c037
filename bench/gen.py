#!/usr/bin/env python3
"""Deterministic generator of Vietnamese news and plan articles for the
vbgraph benchmark, with an answer key of every planted reference.

    gen.py make --size 10MB --out DIR [--layout dir|file] [--seed N] [--jobs N]
    gen.py score --key DIR/key.jsonl --pred refs.jsonl [--root PREFIX] [--json OUT]

`make` writes DIR/corpus/ (one file per article, 1000 per sub-directory) or
DIR/corpus.txt (one big file), DIR/key.jsonl (the answer key) and
DIR/meta.json.  The same seed, size and layout give the same bytes whatever
--jobs is.  `score` compares `vbgraph extract` output with the key.

Everything here (templates, sentences, names of plans) was written for this
benchmark; document numbers follow the real shapes (see
../shared/reference/) but the documents they point at are made up.

Answer key, one JSON object per line:
  {"file","start","end","key","v","doc_type","date"}   a full reference
  {"file","start","end","key":null,"short":true,"resolves_to"}
        a short form; resolves_to "?" when the key does not fix it
  {"file","rel","source","target","opt"}   a relation the text states
        (opt: true when a correct extractor may or may not report it)
File paths are relative to the corpus root (DIR/corpus/ or the file name).
Offsets are bytes of the file as written (after NFD / CRLF / BOM).
"""

import argparse
import bisect
import gc
import json
import os
import random
import sys
import time
import unicodedata

class Rng(random.Random):
    """random.Random with cheaper choice/randint (the generator makes
    millions of them); still seeded and deterministic."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def randrange(self, n):
        return int(self.random() * n)


# ----------------------------------------------------------------------
# Names
# ----------------------------------------------------------------------

PROVINCES = [
    "Hà Giang", "Tuyên Quang", "Lào Cai", "Yên Bái", "Thái Nguyên", "Lạng Sơn",
    "Bắc Giang", "Phú Thọ", "Hòa Bình", "Sơn La", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Quảng Nam", "Quảng Ngãi",
    "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum",
    "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh",
    "Bình Dương", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh",
    "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Nam Định", "Thái Bình", "Ninh Bình",
    "Hà Nam", "Hưng Yên", "Hải Dương", "Bắc Ninh", "Vĩnh Phúc", "Quảng Ninh",
    "Cao Bằng", "Bắc Kạn", "Điện Biên", "Lai Châu",
]
DISTRICTS = [
    "Thanh Chương", "Can Lộc", "Đức Thọ", "Yên Sơn", "Hàm Yên", "Sơn Dương",
    "Chiêm Hóa", "Na Hang", "Lâm Bình", "Quỳnh Lưu", "Diễn Châu", "Nghi Lộc",
    "Hương Sơn", "Kỳ Anh", "Lệ Thủy", "Bố Trạch", "Hải Lăng", "Triệu Phong",
    "Điện Bàn", "Duy Xuyên", "Mộ Đức", "Tư Nghĩa", "Phù Cát", "Tây Sơn",
    "Cam Lâm", "Ninh Hòa", "Đức Trọng", "Bảo Lâm", "Chợ Gạo", "Cai Lậy",
    "Mỏ Cày Nam", "Châu Thành", "Tân Phú", "Xuân Lộc", "Thạch Thất",
    "Ba Vì", "Gia Lâm", "Kim Bảng", "Lý Nhân", "Hải Hậu",
]
COMMUNES = [
    "Tân Phú", "Trung Môn", "Minh Xuân", "Hưng Thành", "Kim Phú", "An Tường",
    "Thái Long", "Đội Cấn", "Phú Lâm", "Lưỡng Vượng", "Nhữ Khê", "Mỹ Bằng",
    "Xuân Vân", "Tứ Quận", "Đạo Viện", "Công Đa", "Trung Sơn", "Quang Trung",
    "Hòa Bình", "Tân Tiến", "Đồng Tâm", "Thắng Lợi", "Bình Minh", "Hợp Thành",
]
STREETS = ["Lê Lợi", "Trần Phú", "Nguyễn Huệ", "Quang Trung", "Hai Bà Trưng",
           "Lý Thường Kiệt", "Phan Đình Phùng", "Điện Biên Phủ", "Hùng Vương",
           "Nguyễn Trãi", "Bà Triệu", "Lê Duẩn"]
PEOPLE = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Thu Hà",
          "Hoàng Văn Nam", "Vũ Thị Hồng", "Đặng Quốc Bảo", "Bùi Thanh Tùng",
          "Đỗ Thị Mai", "Ngô Đức Thắng", "Dương Văn Long", "Lý Thị Hạnh"]
TERMS = {2011: "XI", 2016: "XII", 2021: "XIII"}
ROMAN = {"XI": 11, "XII": 12, "XIII": 13}

TOPICS = [
    "phát triển kinh tế biển bền vững", "chuyển đổi số quốc gia",
    "xây dựng nông thôn mới", "cải cách hành chính",
    "phát triển nguồn nhân lực chất lượng cao", "bảo vệ môi trường",
    "phòng, chống thiên tai", "bảo đảm trật tự an toàn giao thông",
    "phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "công tác dân vận trong tình hình mới", "giảm nghèo bền vững",
    "xây dựng, chỉnh đốn Đảng", "đổi mới căn bản, toàn diện giáo dục và đào tạo",
    "bảo vệ, chăm sóc và nâng cao sức khỏe nhân dân",
    "phát triển văn hóa, con người Việt Nam", "sắp xếp tổ chức bộ máy",
    "thực hành tiết kiệm, chống lãng phí", "phát triển kinh tế tư nhân",
    "công tác cán bộ", "tăng cường quản lý đất đai", "phát triển du lịch",
    "an ninh lương thực", "phòng cháy, chữa cháy", "xây dựng đô thị thông minh",
    "hội nhập quốc tế", "phát triển doanh nghiệp nhỏ và vừa",
    "tinh giản biên chế", "bảo hiểm xã hội toàn dân",
]
LAW_NAMES = [
    "Luật Đất đai", "Luật Đầu tư công", "Luật Ngân sách nhà nước",
    "Luật Tổ chức chính quyền địa phương", "Luật Bảo vệ môi trường",
    "Luật Giáo dục", "Luật Xây dựng", "Luật Quy hoạch", "Luật An ninh mạng",
    "Luật Lâm nghiệp", "Luật Thủy sản", "Luật Trồng trọt", "Luật Chăn nuôi",
    "Luật Nhà ở", "Luật Kinh doanh bất động sản", "Luật Thanh niên",
    "Luật Dân quân tự vệ", "Luật Giao dịch điện tử", "Luật Lưu trữ",
    "Luật Khám bệnh, chữa bệnh",
]
CODE_NAMES = ["Bộ luật Lao động", "Bộ luật Dân sự", "Bộ luật Hình sự"]
MINISTRIES = [
    ("BTC", "Bộ Tài chính"), ("BNV", "Bộ Nội vụ"), ("BYT", "Bộ Y tế"),
    ("BGDĐT", "Bộ Giáo dục và Đào tạo"), ("BCA", "Bộ Công an"),
    ("BTTTT", "Bộ Thông tin và Truyền thông"),
    ("BKHCN", "Bộ Khoa học và Công nghệ"), ("BXD", "Bộ Xây dựng"),
    ("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("BTNMT", "Bộ Tài nguyên và Môi trường"),
    ("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("BGTVT", "Bộ Giao thông vận tải"), ("BCT", "Bộ Công Thương"),
    ("BTP", "Bộ Tư pháp"), ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
]

# Type words a short form ("Nghị quyết 57") and a back-reference
# ("Kế hoạch này") may use; see tests/spec/extract.spec, short/.
SHORT_TYPES = {"Nghị quyết", "Quyết định", "Quy định", "Chỉ thị", "Kết luận",
               "Kế hoạch", "Hướng dẫn", "Thông báo", "Thông tư", "Nghị định",
               "Công văn"}

# ----------------------------------------------------------------------
# Documents
# ----------------------------------------------------------------------


class Doc:
    __slots__ = ("fam", "tw", "tc", "num", "year", "iss", "unit", "body",
                 "term", "key", "date", "parent", "central", "group", "law",
                 "prov", "plan", "iso")

    def __init__(self, fam, tw, tc, num, year, iss, body, date, central,
                 unit=None, term=None, law=None, prov=None):
        self.fam, self.tw, self.tc, self.num = fam, tw, tc, num
        self.year, self.iss, self.unit, self.body = year, iss, unit, body
        self.date, self.central, self.term, self.law = date, central, term, law
        self.prov = prov
        self.parent = None
        self.plan = False
        if fam == "party":
            self.key = "%d-%s/%s" % (num, tc, iss)
        elif fam == "state":
            self.key = "%d/%s-%s" % (num, tc, iss)
        elif fam == "legal":
            self.key = ("%d/%d/%s-%s" % (num, year, tc, iss) if tc
                        else "%d/%d/%s" % (num, year, iss))
        else:
            self.key = "%d/%s-%s" % (num, iss, unit)
        self.group = (fam, tw, tc, iss, prov)
        self.iso = iso(date)


def term_of(year):
    t = "XI"
    for y, name in sorted(TERMS.items()):
        if year >= y:
            t = name
    return t


def qh_of(year):
    return "QH13" if year < 2016 else "QH14" if year < 2021 else "QH15"


def rdate(r, year):
    return (r.randint(1, 28), r.randint(1, 12), year)


def central_docs(r):
    """The head of the population: central Party, Government and legal
    documents, most cited first."""
    out, seen = [], set()

    def add(d):
        if d.key not in seen:
            seen.add(d.key)
            out.append(d)

    for _ in range(90):
        y = r.randint(2011, 2025)
        add(Doc("party", "Nghị quyết", "NQ", r.randint(1, 80), y, "TW",
                r.choice(["Bộ Chính trị", "Ban Chấp hành Trung ương Đảng"]),
                rdate(r, y), True, term=term_of(y)))
    for _ in range(50):
        y = r.randint(2011, 2025)
        add(Doc("party", "Chỉ thị", "CT", r.randint(1, 50), y, "TW",
                r.choice(["Ban Bí thư", "Bộ Chính trị"]), rdate(r, y), True,
                term=term_of(y)))
    for _ in range(120):
        y = r.randint(2011, 2025)
        add(Doc("party", "Kết luận", "KL", r.randint(1, 250), y, "TW",
                r.choice(["Bộ Chính trị", "Ban Bí thư", "Ban Bí thư Trung ương Đảng"]),
                rdate(r, y), True, term=term_of(y)))
    for _ in range(40):
        y = r.randint(2011, 2025)
        tw, tc = r.choice([("Quy định", "QĐi"), ("Quy định", "QĐ"),
                           ("Quyết định", "QĐ")])
        add(Doc("party", tw, tc, r.randint(1, 300), y, "TW", "Bộ Chính trị",
                rdate(r, y), True, term=term_of(y)))
    for iss, body in (("BTCTW", "Ban Tổ chức Trung ương"),
                      ("BTGDVTW", "Ban Tuyên giáo và Dân vận Trung ương"),
                      ("VPTW", "Văn phòng Trung ương Đảng")):
        for _ in range(8):
            y = r.randint(2015, 2025)
            tw, tc = r.choice([("Hướng dẫn", "HD"), ("Kế hoạch", "KH")])
            add(Doc("party", tw, tc, r.randint(1, 150), y, iss, body,
                    rdate(r, y), True))
    for _ in range(6):
        y = r.randint(2018, 2025)
        add(Doc("party", "Kế hoạch", "KH", r.randint(1, 400), y, "TWĐTN-VP",
                "Ban Bí thư Trung ương Đoàn", rdate(r, y), True))
    for _ in range(120):
        y = r.randint(2012, 2025)
        add(Doc("legal", "Nghị định", "NĐ", r.randint(1, 180), y, "CP",
                "Chính phủ", rdate(r, y), True))
    for _ in range(90):
        y = r.randint(2012, 2025)
        code, body = r.choice(MINISTRIES)
        add(Doc("legal", "Thông tư", "TT", r.randint(1, 60), y, code, body,
                rdate(r, y), True))
    for _ in range(25):
        y = r.randint(2012, 2025)
        add(Doc("legal", "Quyết định", "QĐ", r.randint(1, 50), y, "TTg",
                "Thủ tướng Chính phủ", rdate(r, y), True))
    for name in LAW_NAMES:
        y = r.randint(2013, 2024)
        add(Doc("legal", "Luật", "", r.randint(20, 99), y, qh_of(y), "Quốc hội",
                rdate(r, y), True, law=name))
    for name in CODE_NAMES:
        y = r.randint(2015, 2019)
        add(Doc("legal", "Bộ luật", "", r.randint(40, 99), y, qh_of(y),
                "Quốc hội", rdate(r, y), True, law=name))
    for _ in range(10):
        y = r.randint(2013, 2024)
        add(Doc("legal", "Nghị quyết", "", r.randint(10, 130), y, qh_of(y),
                "Quốc hội", rdate(r, y), True))
    for _ in range(5):
        y = r.randint(2014, 2023)
        a, b = r.sample(MINISTRIES, 2)
        add(Doc("legal", "Thông tư liên tịch", "TTLT", r.randint(1, 40), y,
                a[0] + "-" + b[0], a[1] + " và " + b[1], rdate(r, y), True))
    for _ in range(70):
        y = r.randint(2015, 2025)
        add(Doc("state", "Quyết định", "QĐ", r.randint(100, 2500), y, "TTg",
                "Thủ tướng Chính phủ", rdate(r, y), True))
    for _ in range(35):
        y = r.randint(2015, 2025)
        add(Doc("state", "Chỉ thị", "CT", r.randint(1, 40), y, "TTg",
                "Thủ tướng Chính phủ", rdate(r, y), True))
    for _ in range(50):
        y = r.randint(2015, 2025)
        add(Doc("state", "Nghị quyết", "NQ", r.randint(1, 200), y, "CP",
                "Chính phủ", rdate(r, y), True))
    for _ in range(15):
        y = r.randint(2019, 2025)
        add(Doc("state", "Công điện", "CĐ", r.randint(1, 120), y, "TTg",
                "Thủ tướng Chính phủ", rdate(r, y), True))
    for iss, unit, body in (("VPCP", "KTTH", "Văn phòng Chính phủ"),
                            ("VPCP", "KGVX", "Văn phòng Chính phủ"),
                            ("BTC", "QLG", "Bộ Tài chính"),
                            ("BNV", "CQĐP", "Bộ Nội vụ"),
                            ("BKHCN", "VP", "Bộ Khoa học và Công nghệ")):
        for _ in range(8):
            y = r.randint(2019, 2025)
            add(Doc("letter", "Công văn", "", r.randint(100, 9999), y, iss,
                    body, rdate(r, y), True, unit=unit))
    # Most cited first: Party resolutions and directives, then decrees and
    # decisions of the Prime Minister, then the rest (a stable shuffle).
    weight = {"NQ": 0.0, "CT": 0.1, "KL": 0.2, "NĐ": 0.3, "QĐ": 0.35}
    r.shuffle(out)
    out.sort(key=lambda d: weight.get(d.tc, 0.6) + r.random() * 0.8)
    return out


PROV_KINDS = [
    # fam, type word, code, issuer, body pattern, is a plan, weight
    ("party", "Kế hoạch", "KH", "TU", "Ban Thường vụ Tỉnh ủy {P}", True, 14),
    ("party", "Chương trình", "CTr", "TU", "Tỉnh ủy {P}", True, 5),
    ("party", "Nghị quyết", "NQ", "TU", "Ban Chấp hành Đảng bộ tỉnh {P}", True, 4),
    ("party", "Chỉ thị", "CT", "TU", "Ban Thường vụ Tỉnh ủy {P}", True, 4),
    ("party", "Kết luận", "KL", "TU", "Ban Thường vụ Tỉnh ủy {P}", False, 2),
    ("party", "Quyết định", "QĐ", "TU", "Ban Thường vụ Tỉnh ủy {P}", False, 2),
    ("party", "Hướng dẫn", "HD", "BTGTU", "Ban Tuyên giáo Tỉnh ủy {P}", False, 1),
    ("party", "Kế hoạch", "KH", "HU", "Ban Thường vụ Huyện ủy {D}", True, 5),
    ("party", "Nghị quyết", "NQ", "ĐU", "Đảng ủy xã {C}", True, 2),
    ("party", "Kế hoạch", "KH", "ĐU", "Đảng ủy xã {C}", True, 2),
    ("state", "Kế hoạch", "KH", "UBND", "Ủy ban nhân dân tỉnh {P}", True, 16),
    ("state", "Quyết định", "QĐ", "UBND", "Ủy ban nhân dân tỉnh {P}", False, 9),
    ("state", "Chỉ thị", "CT", "UBND", "Ủy ban nhân dân tỉnh {P}", True, 2),
    ("state", "Chương trình", "CTr", "UBND", "Ủy ban nhân dân tỉnh {P}", True, 2),
    ("state", "Thông báo", "TB", "UBND", "Ủy ban nhân dân tỉnh {P}", False, 2),
    ("state", "Báo cáo", "BC", "UBND", "Ủy ban nhân dân tỉnh {P}", False, 2),
    ("state", "Kế hoạch", "KH", "UBND", "Ủy ban nhân dân huyện {D}", True, 5),
    ("state", "Nghị quyết", "NQ", "HĐND", "Hội đồng nhân dân tỉnh {P}", False, 3),
    ("state", "Kế hoạch", "KH", "SYT", "Sở Y tế tỉnh {P}", True, 1),
    ("state", "Hướng dẫn", "HD", "SNV", "Sở Nội vụ tỉnh {P}", False, 1),
    ("legal", "Quyết định", "QĐ", "UBND", "Ủy ban nhân dân tỉnh {P}", False, 4),
    ("legal", "Nghị quyết", "NQ", "HĐND", "Hội đồng nhân dân tỉnh {P}", False, 3),
    ("letter", "Công văn", "VX", "UBND", "Ủy ban nhân dân tỉnh {P}", False, 4),
    ("letter", "Công văn", "KT", "UBND", "Ủy ban nhân dân tỉnh {P}", False, 3),
    ("letter", "Công văn", "NS", "STC", "Sở Tài chính tỉnh {P}", False, 2),
    ("letter", "Công văn", "NVY", "SYT", "Sở Y tế tỉnh {P}", False, 1),
]


def local_docs(r, n, central):
    """The long tail: provincial, district and commune documents.  Their
    numbers repeat across provinces and years, as real local numbers do."""
    kinds = [k[:6] for k in PROV_KINDS]
    cum, t = [], 0
    for k in PROV_KINDS:
        t += k[6]
        cum.append(t)
    targets = [d for d in central if d.fam in ("party", "state", "legal")
               and d.tw in ("Nghị quyết", "Chỉ thị", "Kết luận", "Quyết định",
                            "Nghị định", "Quy định", "Thông tư")]
    tcum, tt = [], 0.0
    for i in range(len(targets)):
        tt += 1.0 / (i + 1)
        tcum.append(tt)
    out = []
    for _ in range(n):
        fam, tw, tc, iss, bodyp, plan = kinds[bisect.bisect(cum, r.random() * t)]
        y = r.randint(2015, 2025)
        p = r.choice(PROVINCES)
        body = bodyp.format(P=p, D=r.choice(DISTRICTS), C=r.choice(COMMUNES))
        num = r.randint(1, 400) if r.random() < 0.7 else r.randint(400, 2500)
        if fam == "letter":
            d = Doc("letter", tw, "", r.randint(50, 4999), y, iss, body,
                    rdate(r, y), False, unit=tc, prov=p)
        else:
            d = Doc(fam, tw, tc, num if fam != "legal" else r.randint(1, 60), y,
                    iss, body, rdate(r, y), False, prov=p)
        if plan:
            d.plan = True
            x = d.parent = targets[bisect.bisect(tcum, r.random() * tt)]
            # a plan is signed after what it implements
            pd, pm, py = x.date
            y = r.randint(py, min(2025, py + 4)) if py < 2025 else 2025
            m = r.randint(pm, 12) if y == py else r.randint(1, 12)
            dd = r.randint(pd, 28) if (y, m) == (py, pm) else r.randint(1, 28)
            d.year, d.date = y, (dd, m, y)
            d.iso = iso(d.date)
        out.append(d)
    return out


class Population:
    def __init__(self, seed, size_bytes):
        r = Rng(seed * 7919 + 17)
        self.central = central_docs(r)
        n_local = max(3000, int(size_bytes / 1e6 * 400))
        self.local = local_docs(r, n_local, self.central)
        r.shuffle(self.local)
        self.all = self.central + self.local
        self.cum, t = [], 0.0
        for i in range(len(self.all)):  # Zipf, s = 1
            t += 1.0 / (i + 1)
            self.cum.append(t)
        self.total = t
        self.ccum, t = [], 0.0
        for i in range(len(self.central)):
            t += 1.0 / (i + 1) ** 0.9
            self.ccum.append(t)
        self.ctotal = t
        self.plans = [d for d in self.local if d.plan]
        self.groups = {}
        for d in self.all:
            if d.fam != "letter" and d.tw != "Luật" and d.tw != "Bộ luật":
                self.groups.setdefault(d.group, []).append(d)
        self.big_groups = [g for g, v in self.groups.items() if len(v) >= 3]
        self.big_groups.sort(key=lambda g: -len(self.groups[g]))
        self.laws = [d for d in self.central if d.law]
        self.decrees = [d for d in self.central if d.tw == "Nghị định"]
        self.decisions = [d for d in self.local if d.fam == "state" and d.tc == "QĐ"
                          and d.iss == "UBND"]
        self.party_tw = [d for d in self.central if d.fam == "party" and d.iss == "TW"]

    def any(self, rnd):
        return self.all[bisect.bisect(self.cum, rnd() * self.total)]

    def central_one(self, rnd):
        return self.central[bisect.bisect(self.ccum, rnd() * self.ctotal)]


# ----------------------------------------------------------------------
# Surface forms
# ----------------------------------------------------------------------

NBSP = "\u00a0"
ETH = "\u00d0"


def numstr(d, rnd):
    return "%02d" % d.num if d.num < 10 and rnd() < 0.8 else str(d.num)


def code_of(d, rnd, plain=False):
    """The printed document number and a label of its variant."""
    n = numstr(d, rnd)
    x = 1.0 if plain else rnd()
    if d.fam == "party":
        tc, iss = d.tc, d.iss
        sep, v = "-", "plain"
        if iss == "TW" and x < 0.16:
            if x < 0.09:
                iss, v = "TƯ", "tu-horn"
            elif x < 0.11:
                iss, v = "T.Ư", "t-dot-u"
            elif x < 0.12:
                iss, v = "T.W", "t-dot-w"
            elif x < 0.14:
                return "%s/%s-TW" % (n, tc), "state-style-party"
            else:
                return "%s/%s-TW" % (n, tc), "state-style-party"
        elif x < 0.19:
            sep, v = " \u2013 ", "en-dash-spaced"
        elif x < 0.2:
            sep, v = "\u2014", "em-dash"
        elif x < 0.21:
            sep, v = "- ", "space-after-hyphen"
        elif x < 0.22:
            sep, v = " - ", "spaced-hyphen"
        elif x < 0.23 and tc == "CTr":
            tc, v = "Ctr", "mixed-case-ctr"
        elif x < 0.24 and iss == "ĐU":
            iss, v = "DU", "du-no-diacritics"
        elif x < 0.25 and tc == "QĐ":
            tc, v = "QD", "qd-no-diacritics"
        elif x < 0.26 and iss != "TW":
            return "%s-%s/ %s" % (n, tc, iss), "space-after-slash"
        return "%s%s%s/%s" % (n, sep, tc, iss), v
    if d.fam == "state":
        tc, iss, sep, v = d.tc, d.iss, "-", "plain"
        if x < 0.02 and tc == "QĐ":
            tc, v = "QD", "qd-no-diacritics"
        elif x < 0.04 and iss == "TTg":
            iss, v = "TTG", "ttg-upper"
        elif x < 0.05:
            sep, v = "\u2013", "en-dash"
        elif x < 0.06 and "Đ" in tc + iss:
            tc, iss, v = tc.replace("Đ", ETH), iss.replace("Đ", ETH), "eth"
        elif x < 0.07:
            return "%s/ %s-%s" % (n, tc, iss), "space-after-slash"
        elif x < 0.08:
            sep, v = " \u2013 ", "en-dash-spaced"
        elif x < 0.09 and iss == "HĐND":
            iss, v = "HDND", "hdnd-no-diacritics"
        return "%s/%s%s%s" % (n, tc, sep, iss), v
    if d.fam == "legal":
        tc, iss, v = d.tc, d.iss, "plain"
        if not tc:
            return "%s/%d/%s" % (n, d.year, iss), v
        if x < 0.03 and tc == "NĐ":
            tc, v = "ND", "nd-no-diacritics"
        elif x < 0.04 and tc == "NĐ":
            tc, v = "N" + ETH, "eth"
        elif x < 0.05:
            return "%s/ %d/ %s - %s" % (n, d.year, tc, iss), "spaced-legal"
        elif x < 0.06:
            return "%s /%d/%s-%s" % (n, d.year, tc, iss), "space-before-slash"
        elif x < 0.07 and iss == "HĐND":
            iss, v = "HDND", "hdnd-no-diacritics"
        elif x < 0.08 and iss == "BGDĐT":
            iss, v = "BGDDT", "bgddt-no-diacritics"
        elif x < 0.09 and tc == "QĐ":
            tc, v = "Q" + ETH, "eth"
        return "%s/%d/%s-%s" % (n, d.year, tc, iss), v
    return "%s/%s-%s" % (n, d.iss, d.unit), "plain"


def typeword_of(d, rnd):
    """The type word as printed, and the doc_type the extractor should give."""
    tw = d.tw
    if tw == "Chương trình" and d.fam == "party" and rnd() < 0.6:
        return "Chương trình hành động", "Chương trình"
    if tw == "Kế hoạch" and rnd() < 0.02:
        return "Kế hoạch hành động", "Kế hoạch"
    if d.law:
        return d.law, d.tw
    return tw, tw


def date_str(dt, rnd):
    d, m, y = dt
    x = rnd()
    if x < 0.4:
        return "%d/%d/%d" % (d, m, y)
    if x < 0.55:
        return "%02d/%02d/%d" % (d, m, y)
    if x < 0.7:
        return "%d-%d-%d" % (d, m, y)
    if x < 0.95:
        return "%d tháng %d năm %d" % (d, m, y)
    return "%02d tháng %02d năm %d" % (d, m, y)


def iso(dt):
    return "%04d-%02d-%02d" % (dt[2], dt[1], dt[0])


# ----------------------------------------------------------------------
# Filler text
# ----------------------------------------------------------------------

SUBJ = [
    "các sở, ban, ngành", "cấp ủy, chính quyền các cấp",
    "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội",
    "đội ngũ cán bộ, đảng viên", "ngành giáo dục", "ngành y tế",
    "lực lượng công an", "các địa phương", "chính quyền cơ sở",
    "các doanh nghiệp trên địa bàn", "Hội Nông dân", "Đoàn Thanh niên",
    "Hội Liên hiệp Phụ nữ", "các cơ quan báo chí", "cán bộ, công chức cấp xã",
    "người đứng đầu cơ quan, đơn vị", "các tổ chức cơ sở đảng",
]
ADV = ["đã chủ động", "tiếp tục", "thường xuyên", "kịp thời", "quyết liệt",
       "từng bước", "tích cực", "đồng loạt", "khẩn trương", "kiên trì"]
ACT = [
    "rà soát, bổ sung quy hoạch sử dụng đất", "đẩy mạnh cải cách hành chính",
    "nâng cao chất lượng nguồn nhân lực", "tăng cường kiểm tra, giám sát",
    "đổi mới phương thức lãnh đạo", "tuyên truyền sâu rộng trong nhân dân",
    "hoàn thiện cơ chế, chính sách", "huy động các nguồn lực xã hội",
    "ứng dụng công nghệ số trong quản lý", "tháo gỡ khó khăn cho doanh nghiệp",
    "chăm lo đời sống người có công", "phát triển hạ tầng giao thông nông thôn",
    "nâng cao chỉ số hài lòng của người dân", "củng cố tổ chức bộ máy",
    "bảo đảm an sinh xã hội", "giữ vững quốc phòng, an ninh",
    "phát huy vai trò chủ thể của người dân",
]
RESULT = [
    "tỷ lệ hộ nghèo giảm còn {a},{b}%", "tổng vốn huy động đạt {n} tỷ đồng",
    "{n} xã đạt chuẩn nông thôn mới", "tốc độ tăng trưởng bình quân đạt {a},{b}%",
    "{n} hồ sơ được giải quyết trước hạn", "{p}% thủ tục hành chính được xử lý trực tuyến",
    "{n} lượt cán bộ được bồi dưỡng", "thu ngân sách đạt {n} tỷ đồng",
    "{p}% trường học đạt chuẩn quốc gia", "{n} km đường giao thông được cứng hóa",
]
CLOSE = [
    "Kết quả đó tạo nền tảng quan trọng cho giai đoạn tiếp theo.",
    "Tuy nhiên, một số nơi còn lúng túng, chưa sát với thực tiễn.",
    "Nhiều mô hình hay, cách làm sáng tạo đã được nhân rộng.",
    "Công tác phối hợp giữa các ngành đôi lúc chưa chặt chẽ.",
    "Nguồn lực đầu tư còn hạn chế so với yêu cầu nhiệm vụ.",
    "Người dân đồng tình, hưởng ứng và tích cực tham gia.",
    "Hội nghị cũng chỉ ra những hạn chế cần sớm khắc phục.",
    "Đây là nhiệm vụ trọng tâm, xuyên suốt trong nhiều năm tới.",
    "Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết.",
    "Việc thực hiện cần bảo đảm thực chất, tránh hình thức.",
]
LEADS = ["Ngày {d}/{m}, ", "Chiều {d}/{m}, ", "Sáng {d}/{m}, ",
         "Trong {k} tháng đầu năm, ", "Những năm qua, ", "Thời gian qua, ",
         "Năm {y}, ", "Từ đầu năm đến nay, "]
SOURCES = ["TTĐT", "CTTĐT", "Báo Tin tức", "PV", "Thông tin địa phương"]


def cap(s):
    return s[0].upper() + s[1:]


def filler_pool(r, n):
    """Filler sentences without any reference, made once per run."""
    out = []
    for _ in range(n):
        k = r.random()
        if k < 0.5:
            s = "%s %s %s." % (cap(r.choice(SUBJ)), r.choice(ADV), r.choice(ACT))
        elif k < 0.75:
            res = r.choice(RESULT).format(a=r.randint(1, 19), b=r.randint(1, 9),
                                          n=r.randint(12, 980), p=r.randint(40, 99))
            s = "Đến nay, %s, %s." % (res, r.choice(["vượt kế hoạch đề ra",
                                                      "tăng so với cùng kỳ",
                                                      "đạt mục tiêu đề ra",
                                                      "cao hơn bình quân chung"]))
        elif k < 0.9:
            s = r.choice(CLOSE)
        else:
            s = "Trong thời gian tới, %s cần %s, %s." % (
                r.choice(SUBJ), r.choice(ACT), r.choice(ACT))
        out.append(s)
    return out


def decoy(r):
    """A sentence with a look-alike that is not a reference (see the not/
    cases of tests/spec/extract.spec)."""
    x = r.randrange(22)
    ri = r.randint
    if x == 0:
        return "Mọi phản ánh xin gọi đường dây nóng 09%d%d.%03d.%03d." % (
            ri(0, 9), ri(0, 9), ri(0, 999), ri(0, 999))
    if x == 1:
        return "Số điện thoại trực ban là 024-%04d-%04d, hoạt động cả ngày nghỉ." % (
            ri(1000, 9999), ri(0, 9999))
    if x == 2:
        return "Hội nghị diễn ra ngày %d/%d/%d tại hội trường %s." % (
            ri(1, 28), ri(1, 12), ri(2015, 2025),
            r.choice(["Tỉnh ủy", "UBND tỉnh", "Nhà văn hóa huyện"]))
    if x == 3:
        return "Buổi lễ bắt đầu lúc %dh%02d và kết thúc vào %d giờ %d phút cùng ngày." % (
            ri(7, 10), ri(0, 59), ri(11, 17), ri(1, 59))
    if x == 4:
        return "Trụ sở mới đặt tại số %d/%d đường %s, phường %s." % (
            ri(2, 199), ri(1, 99), r.choice(STREETS), r.choice(COMMUNES))
    if x == 5:
        return "Gia đình ông %s sống tại số %d/%dA ngõ %d phố %s." % (
            r.choice(PEOPLE), ri(2, 99), ri(1, 20), ri(2, 200), r.choice(STREETS))
    if x == 6:
        return ("Xe ô tô biển kiểm soát %d%s-%03d.%02d đã va chạm với xe tải "
                "%d%s-%03d.%02d trên quốc lộ %d.") % (
            ri(11, 99), r.choice("ABCDFGH"), ri(0, 999), ri(0, 99),
            ri(11, 99), r.choice("ABCDFGH"), ri(0, 999), ri(0, 99), ri(1, 60))
    if x == 7:
        return "Công trình phải tuân thủ QCVN %02d:%d/BXD và TCVN %d:%d về kết cấu." % (
            ri(1, 20), ri(2010, 2023), ri(2000, 9999), ri(2010, 2023))
    if x == 8:
        return "Doanh nghiệp đạt chứng nhận ISO 9001:2015 từ năm %d." % ri(2016, 2023)
    if x == 9:
        return "Toàn văn được đăng tại https://%s.gov.vn/%d/%02d/KH-UBND.html." % (
            r.choice(["tuyenquang", "nghean", "hatinh", "laocai"]), ri(2019, 2025), ri(1, 12))
    if x == 10:
        return "Trong giai đoạn %d-%d, tốc độ tăng trưởng bình quân đạt %d%%." % (
            2016 + 5 * ri(0, 1), 2020 + 5 * ri(0, 1), ri(5, 9))
    if x == 11:
        return "Khoảng %d/%d diện tích lúa đã được thu hoạch." % (ri(1, 3), 4)
    if x == 12:
        return "Chỉ số năng lực cạnh tranh của tỉnh xếp thứ %d/63, tăng %d bậc." % (
            ri(1, 63), ri(1, 9))
    if x == 13:
        return "Đến tháng %d/%d, tỉnh đã giải ngân %d%% kế hoạch vốn." % (
            ri(1, 12), ri(2020, 2025), ri(30, 95))
    if x == 14:
        return "Nông dân bón phân NPK 16-16-8 cho lúa đông xuân."
    if x == 15:
        return "Bản đồ quy hoạch chi tiết tỷ lệ 1/%d đã hoàn thành." % r.choice([500, 2000, 5000])
    if x == 16:
        return "Tổng đài hỗ trợ người dân hoạt động 24/7."
    if x == 17:
        return r.choice(["Hiến pháp năm 2013 khẳng định quyền con người, quyền công dân.",
                         "Luật Đất đai năm 2024 có nhiều điểm mới so với trước đây."])
    if x == 18:
        return "Nghị quyết Trung ương %d (khóa %s) về xây dựng Đảng được quán triệt sâu rộng." % (
            ri(4, 8), r.choice(["XI", "XII", "XIII"]))
    if x == 19:
        return "Mã số thuế %010d, tài khoản %04d-%04d-%04d tại ngân hàng thương mại." % (
            ri(100000000, 999999999), ri(0, 9999), ri(0, 9999), ri(0, 9999))
    if x == 20:
        return "Đội tuyển của tỉnh thắng %d-%d trong trận chung kết." % (ri(1, 5), ri(0, 3))
    return "Căn hộ A%d-%02d tòa CT%d khu đô thị mới đã được bàn giao." % (
        ri(1, 30), ri(1, 20), ri(1, 9))


# ----------------------------------------------------------------------
# Article builder
# ----------------------------------------------------------------------

class Art:
    """One article as UTF-8 bytes, with the references planted in it."""

    def __init__(self, g, r, nfd, crlf, layout_file):
        self.g, self.r, self.rnd = g, r, r.random
        self.parts, self.pos = [], 0
        self.nfd, self.crlf = nfd, crlf
        self.cache = g.caches[(nfd, crlf)]
        self.blocks = g.blocks[(nfd, crlf)]
        self.nl2 = b"\r\n\r\n" if crlf else b"\n\n"
        self.refs, self.shorts, self.rels = [], [], []
        self.layout_file = layout_file
        self.self_key = None

    def enc(self, s):
        t = unicodedata.normalize("NFD", s) if self.nfd else s
        if self.crlf:
            t = t.replace("\n", "\r\n")
        b = t.encode()
        if len(self.cache) < 50000:
            self.cache[s] = b
        return b

    def t(self, s):
        b = self.cache.get(s)
        if b is None:
            b = self.enc(s)
        self.parts.append(b)
        self.pos += len(b)

    def raw(self, b):
        """Bytes already in this article's form (NFD/CRLF applied)."""
        self.parts.append(b)
        self.pos += len(b)

    def span(self, s):
        a = self.pos
        b = self.cache.get(s)
        if b is None:
            b = self.enc(s)
        self.parts.append(b)
        self.pos = e = a + len(b)
        return a, e

    # -- references --------------------------------------------------

    def ref(self, d, style=None, date=None, body=None, bare=False):
        """Plant a full reference to d, with its date and body after it when
        asked (None: at random).  style: None (any typed form), "upper" or
        "so"; bare: the code alone."""
        rnd = self.rnd
        code, cv = code_of(d, rnd)
        if bare:
            s, ts, doc_type = code, "bare", None
        else:
            tw, doc_type = typeword_of(d, rnd)
            x = rnd() if style is None else 1.0
            if d.law:
                s, ts = "%s số %s" % (tw, code), "named-law"
            elif x < 0.70:
                s, ts = "%s số %s" % (tw, code), "so"
            elif x < 0.85:
                s, ts = "%s %s" % (tw, code), "no-so"
            elif x < 0.87:
                s, ts = "%s số: %s" % (tw, code), "so-colon"
            elif x < 0.92 and " " in tw:
                s, ts = "%s số %s" % (tw.replace(" ", "\n", 1), code), "split-type-word"
            elif x < 0.95:
                s, ts = "%s số\n%s" % (tw, code), "split-before-number"
            elif x < 0.97 and " " in tw:
                s, ts = "%s số%s%s" % (tw.replace(" ", NBSP), NBSP, code), "nbsp"
            else:
                s, ts = "%s số %s" % (tw, code), "so"
            if style == "upper":
                s, ts = "%s SỐ %s" % (tw.upper(), code.upper()), "upper"
        # the reference itself
        a = self.pos
        b = self.cache.get(s)
        if b is None:
            b = self.enc(s)
        self.parts.append(b)
        self.pos = e = a + len(b)
        # what follows it: one string
        tail = ""
        iso_ = None
        if date is None:
            date = rnd() < 0.45
        if date:
            x = rnd()
            ds = date_str(d.date, rnd)
            if x < 0.03 and style is None and not bare and cv == "plain" and (
                    d.iss == "CP" or d.iss == "TW"):
                tail = "ngày " + ds
                ts = "glued"
            elif x < 0.12:
                tail = " (ngày %s)" % ds
            elif x < 0.17:
                tail = ", ngày %s," % ds
            else:
                tail = " ngày " + ds
            iso_ = d.iso
        if body is None:
            body = rnd() < 0.5
        if body:
            tail += " của " + d.body
            if d.term and rnd() < 0.5:
                tail += r_term(d.term, rnd)
        if tail:
            self.t(tail)
        self.refs.append((a, e, d.key, ts + "|" + cv, doc_type, iso_))
        return d

    def short(self, d, form=None):
        """A short form of d ("Nghị quyết 57"), resolved later."""
        rnd = self.rnd
        x = rnd() if form is None else form
        n = str(d.num)
        if x < 0.7:
            s = "%s %s" % (d.tw, n)
        elif x < 0.9:
            s = "%s số %s" % (d.tw, n)
        else:
            s = "%s\n%s" % (d.tw, n)
        a, e = self.span(s)
        self.shorts.append((a, e, d.tw, d.num))

    def backref(self, tw, dem="này"):
        a, e = self.span("%s %s" % (tw, dem))
        self.shorts.append((a, e, tw, None))

    def rel(self, src, kind, dst, opt=False):
        self.rels.append((src.key, kind, dst.key, opt))

    # -- finishing ---------------------------------------------------

    def finish(self):
        """The bytes and the answer-key tuples of this article."""
        data = b"".join(self.parts)
        if self.nfd or self.crlf:  # the file's form joins the variant label
            form = "|" + "+".join(x for x, on in (("nfd", self.nfd), ("crlf", self.crlf)) if on)
            self.refs = [r[:3] + (r[3] + form,) + r[4:] for r in self.refs]
        if self.layout_file:
            return (data, self.refs, [(x[0], x[1], "?") for x in self.shorts], self.rels)
        fulls = {}
        for ref in self.refs:
            if ref[4] is not None:
                fulls.setdefault((ref[4], int(ref[2].split("/")[0].split("-")[0])), set()).add(ref[2])
        shorts = []
        last = {}
        order = sorted([(x[0], 0, x) for x in self.refs] + [(x[0], 1, x) for x in self.shorts])
        for _, kind, x in order:
            if kind == 0:
                if x[4] is not None:
                    last[x[4]] = x[2]
                continue
            a, e, tw, num = x
            if self.layout_file:
                res = "?"
            elif num is None:
                res = self.self_key if self.self_key else last.get(tw, "?")
            else:
                keys = fulls.get((tw, num), ())
                res = next(iter(keys)) if len(keys) == 1 else ("?" if keys else None)
            shorts.append((a, e, res))
        return data, self.refs, shorts, self.rels


def r_term(term, rnd):
    x = rnd()
    if x < 0.5:
        return " (khóa %s)" % term
    if x < 0.8:
        return " khóa %s" % term
    if x < 0.9:
        return " khoá %s" % term
    return " khóa %d" % ROMAN[term]


# ----------------------------------------------------------------------
# Paragraphs
# ----------------------------------------------------------------------


def fill(a, n, space=False):
    """n filler sentences (1..6) as one precomputed block, after a space
    when `space`."""
    pool = a.blocks[(n if n < 6 else 6) + (8 if space else 0)]
    b = pool[int(a.rnd() * len(pool))]
    a.parts.append(b)
    a.pos += len(b)


def plan_body(d):
    """The body that issues d, as a sentence subject."""
    b = d.body
    if b.startswith("Ủy ban nhân dân") and d.central is False:
        return b if len(b) % 2 else "UBND" + b[len("Ủy ban nhân dân"):]
    return b


def p_cite(a):
    g, rnd = a.g, a.rnd
    d = g.pop.any(rnd)
    x = rnd()
    if x < 0.3:
        a.t("Theo ")
        a.ref(d)
        a.t(", %s phải %s." % (a.r.choice(SUBJ), a.r.choice(ACT)))
    elif x < 0.55:
        a.t(cap(a.r.choice(SUBJ)) + " " + a.r.choice(ADV) + " quán triệt ")
        a.ref(d)
        a.t(" đến từng chi bộ, cơ quan, đơn vị.")
    elif x < 0.7:
        a.t("Tinh thần của ")
        a.ref(d, bare=True, date=False, body=False)
        a.t(" được quán triệt đến từng cán bộ, đảng viên.")
    elif x < 0.85:
        a.ref(d)
        a.t(" đã nêu rõ yêu cầu " + a.r.choice(ACT) + ".")
    else:
        a.t("Các nội dung này được quy định tại ")
        a.ref(d, date=False)
        a.t(".")
    fill(a, 2 + int(rnd() * 3), True)


def p_impl_fwd(a):
    g, rnd = a.g, a.rnd
    p = g.pop.plans[int(rnd() * len(g.pop.plans))]
    x = p.parent
    y = rnd()
    if y < 0.35:
        a.t(plan_body(p) + " đã ban hành ")
        a.ref(p, date=rnd() < 0.4, body=False)
        a.t(" triển khai thực hiện ")
        a.ref(x)
        a.t(".")
    elif y < 0.55:
        a.ref(p, body=False)
        a.t(" thực hiện ")
        a.ref(x)
        a.t(" về " + a.r.choice(TOPICS) + ".")
    elif y < 0.7:
        a.t(plan_body(p) + " có ")
        a.ref(p, date=False, body=False)
        a.t(" về thực hiện ")
        a.ref(x)
        a.t(".")
    elif y < 0.85:
        a.ref(p, date=False, body=False)
        a.t(" nhằm cụ thể hóa ")
        a.ref(x, date=False)
        a.t(" về " + a.r.choice(TOPICS) + ".")
    else:
        a.ref(p, date=False, body=False)
        a.t(" tiếp tục thực hiện ")
        a.ref(x)
        a.t(" trong tình hình mới.")
    a.rel(p, "implements", x)
    fill(a, 2 + int(rnd() * 3), True)


def p_impl_rev(a):
    g, rnd = a.g, a.rnd
    p = g.pop.plans[int(rnd() * len(g.pop.plans))]
    x = p.parent
    a.t("Thực hiện ")
    a.ref(x)
    targets = [x]
    if rnd() < 0.2:
        x2 = g.pop.central_one(rnd)
        if x2.key != x.key and x2.key != p.key:
            a.t(" và ")
            a.ref(x2)
            targets.append(x2)
    a.t(", " + plan_body(p) + " ban hành ")
    a.ref(p, body=False)
    a.t(".")
    for t in targets:
        a.rel(p, "implements", t)
    fill(a, 2 + int(rnd() * 3), True)


def p_review(a):
    g, rnd = a.g, a.rnd
    x = g.pop.central_one(rnd)
    y = rnd()
    if y < 0.5:
        a.t(cap(plan_body(g.pop.plans[int(rnd() * len(g.pop.plans))])) +
            " tổ chức hội nghị sơ kết %d năm thực hiện " % (1 + int(rnd() * 9)))
        a.ref(x)
        a.t(".")
        a.rel(x, "reviews", x)
    elif y < 0.8:
        a.t("Hội nghị tổng kết %d năm thực hiện " % (5 + int(rnd() * 10)))
        a.ref(x, body=False)
        a.t(" diễn ra trong không khí trang trọng.")
        a.rel(x, "reviews", x)
    else:
        x2 = g.pop.central_one(rnd)
        a.t("Các huyện đang sơ kết %d năm thực hiện " % (2 + int(rnd() * 4)))
        a.ref(x, date=False, body=False)
        a.rel(x, "reviews", x)
        if x2.key != x.key:
            a.t(" và ")
            a.ref(x2, date=False, body=False)
            a.rel(x2, "reviews", x2)
        a.t(".")
    fill(a, 2 + int(rnd() * 3), True)


def p_short(a):
    g, rnd = a.g, a.rnd
    for _ in range(4):
        d = g.pop.central_one(rnd)
        if d.tw in SHORT_TYPES and not d.law:
            break
    else:
        return p_cite(a)
    if rnd() < 0.15:
        a.short(d)
        a.t(" về " + a.r.choice(TOPICS) + " được cán bộ, đảng viên đón nhận. ")
        a.ref(d, date=False)
        a.t(" xác định rõ mục tiêu đến năm 2030.")
    else:
        a.ref(d)
        a.t(" đặt ra nhiều yêu cầu mới. ")
        fill(a, 1)
        a.t(" Sau %d năm, " % (2 + int(rnd() * 8)))
        a.short(d)
        a.t(" đã thực sự đi vào cuộc sống.")
    fill(a, 2, True)


def p_list(a):
    g, rnd = a.g, a.rnd
    gr = g.pop.big_groups[int(len(g.pop.big_groups) * rnd() ** 2)]
    docs = g.pop.groups[gr]
    k = 2 + int(rnd() * 2)
    chosen, seen = [], set()
    for _ in range(k * 3):
        d = docs[int(len(docs) * rnd() ** 2)]
        if d.key not in seen:
            seen.add(d.key)
            chosen.append(d)
        if len(chosen) == k:
            break
    if len(chosen) < 2:
        return p_cite(a)
    first = chosen[0]
    tw = first.tw
    a.t(cap(a.r.choice(SUBJ)) + " tập trung quán triệt các ")
    c0, v0 = code_of(first, rnd)
    s0, e0 = a.span("%s số %s" % (tw, c0))
    a.refs.append((s0, e0, first.key, "list-first|" + v0, tw, None))
    for i, d in enumerate(chosen[1:]):
        a.t(" và " if i == len(chosen) - 2 else ", ")
        c, v = code_of(d, rnd)
        s, e = a.span(c)
        a.refs.append((s, e, d.key, "list-item|" + v, tw, None))
    a.t(" trong toàn hệ thống chính trị. ")
    fill(a, 3)


def p_shared_code(a):
    """Kết luận số 187, 188-KL/TW: a Party list sharing one code."""
    g, rnd = a.g, a.rnd
    d = g.pop.party_tw[int(rnd() * len(g.pop.party_tw))]
    if d.num < 2:
        return p_cite(a)
    n1, n2 = d.num - 1, d.num
    k1 = "%d-%s/%s" % (n1, d.tc, d.iss)
    a.t("Bộ Chính trị, Ban Bí thư đã ban hành ")
    s, e = a.span("%s số %d" % (d.tw, n1))
    a.refs.append((s, e, k1, "shared-code-first|plain", d.tw, None))
    spaced = rnd() < 0.3
    a.t(", ")
    s, e = a.span("%d%s%s/%s" % (n2, " - " if spaced else "-", d.tc, d.iss))
    a.refs.append((s, e, d.key, "shared-code-item|" + ("spaced" if spaced else "plain"),
                   d.tw, None))
    a.t(" về " + a.r.choice(TOPICS) + ". ")
    fill(a, 3)


def p_legal(a):
    g, rnd = a.g, a.rnd
    y = rnd()
    if y < 0.5:
        law = g.pop.laws[int(rnd() * len(g.pop.laws))]
        a.ref(law, date=False, body=False)
        a.t(" có nhiều điểm mới về " + a.r.choice(TOPICS) + ".")
    else:
        d = g.pop.decrees[int(rnd() * len(g.pop.decrees))]
        a.t("Mức xử phạt được thực thi theo ")
        a.ref(d, bare=True, date=False, body=False)
        a.t(", cao hơn nhiều lần trước đây.")
    fill(a, 3, True)


def p_decoy(a):
    r = a.r
    a.t(decoy(r))
    fill(a, 2, True)
    if a.rnd() < 0.5:
        a.t(" " + decoy(r))


def p_filler(a):
    fill(a, 3 + int(a.rnd() * 4))


PARAS = [(p_filler, 48), (p_cite, 22), (p_impl_fwd, 10), (p_impl_rev, 6),
         (p_review, 5), (p_short, 6), (p_list, 4), (p_shared_code, 1),
         (p_legal, 5), (p_decoy, 11)]
PCUM, PTOT = [], 0
for _f, _w in PARAS:
    PTOT += _w
    PCUM.append(PTOT)


def para(a):
    PARAS[bisect.bisect(PCUM, a.rnd() * PTOT)][0](a)


# ----------------------------------------------------------------------
# Articles
# ----------------------------------------------------------------------


def news(a):
    g, r, rnd = a.g, a.r, a.rnd
    x = g.pop.central_one(rnd)
    if rnd() < 0.15:
        a.t(cap(r.choice(["quán triệt", "học tập, quán triệt", "tuyên truyền"])).upper()
            + " ")
        a.ref(x, style="upper", date=False, body=False)
        a.raw(a.nl2)
    else:
        a.t("%s: %s\n\n" % (r.choice(PROVINCES), cap(r.choice(TOPICS))))
    lead = r.choice(LEADS).format(d=r.randint(1, 28), m=r.randint(1, 12),
                                  k=r.randint(3, 9), y=r.randint(2016, 2025))
    a.t("%s – %s%s %s %s." % (r.choice(SOURCES), lead, r.choice(SUBJ), r.choice(ADV),
                               r.choice(ACT)))
    fill(a, 1, True)
    a.raw(a.nl2)
    for _ in range(6 + int(rnd() * 7)):
        para(a)
        a.raw(a.nl2)
    a.t(r.choice(PEOPLE) + "\n")


def header_state(a, d, kind):
    r = a.r
    place = d.prov or r.choice(PROVINCES)
    if d.body.startswith("Ủy ban nhân dân huyện"):
        a.t("ỦY BAN NHÂN DÂN\nHUYỆN %s\n" % d.body[len("Ủy ban nhân dân huyện "):].upper())
    else:
        a.t("ỦY BAN NHÂN DÂN\nTỈNH %s\n" % place.upper())
    a.t(r.choice(["Số: ", "Số: ", "Số:"]))
    code, cv = code_of(d, a.rnd, plain=True)
    s, e = a.span(code)
    a.refs.append((s, e, d.key, "header|" + cv, None, iso(d.date)))
    a.t("\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n")
    a.t("%s, ngày %02d tháng %02d năm %d\n\n" % (place, d.date[0], d.date[1], d.date[2]))
    a.t(kind + "\n")


def header_party(a, d, kind):
    r = a.r
    place = d.prov or r.choice(PROVINCES)
    a.t("ĐẢNG BỘ TỈNH %s\n" % place.upper())
    sub = {"TU": "TỈNH ỦY", "HU": "HUYỆN ỦY", "ĐU": "ĐẢNG ỦY XÃ"}.get(d.iss, "TỈNH ỦY")
    a.t(sub + "\n*\n")
    a.t("Số ")
    code, cv = code_of(d, a.rnd, plain=True)
    s, e = a.span(code)
    a.refs.append((s, e, d.key, "header|" + cv, None, iso(d.date)))
    a.t("\n%s, ngày %02d tháng %02d năm %d\n\n" % (place, d.date[0], d.date[1], d.date[2]))
    a.t(kind + "\n")


def plan_doc(a):
    """A plan with its own header number, implementing a central document."""
    g, r, rnd = a.g, a.r, a.rnd
    for _ in range(8):
        p = g.pop.plans[int(rnd() * len(g.pop.plans))]
        if p.tw in ("Kế hoạch", "Chương trình") and p.fam in ("party", "state"):
            break
    else:
        return news(a)
    x = p.parent
    kind = p.tw.upper()
    (header_party if p.fam == "party" else header_state)(a, p, kind)
    a.self_key = p.key
    opt = a.layout_file
    a.t("Triển khai thực hiện ")
    a.ref(x, date=True, body=True)
    a.raw(a.nl2)
    a.t("Thực hiện ")
    a.ref(x)
    issuer = "Ban Thường vụ Tỉnh ủy" if p.fam == "party" else "Ủy ban nhân dân tỉnh"
    a.t(", %s ban hành %s thực hiện như sau:\n\n" % (
        issuer, r.choice(["kế hoạch", "Kế hoạch triển khai"])))
    a.rel(p, "implements", x, opt)
    a.t("I. MỤC ĐÍCH, YÊU CẦU\n1. ")
    fill(a, 2)
    a.t("\n2. ")
    fill(a, 2 + int(rnd() * 3))
    a.t("\n\nII. NHIỆM VỤ, GIẢI PHÁP\n")
    for i in range(3 + int(rnd() * 4)):
        a.t("%d. %s: " % (i + 1, cap(r.choice(SUBJ))))
        y = rnd()
        if y < 0.35:
            a.t("thực thi đúng quy định tại ")
            a.ref(g.pop.any(rnd), date=rnd() < 0.5)
            a.t(". ")
            fill(a, 1)
        elif y < 0.45:
            a.t(decoy(r) + " ")
            fill(a, 1)
        else:
            fill(a, 2 + int(rnd() * 3))
        a.t("\n")
    a.t("\nIII. TỔ CHỨC THỰC HIỆN\n")
    fill(a, 1)
    a.t(" Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo về Văn "
        "phòng để tổng hợp. ")
    if p.tw in ("Kế hoạch", "Chương trình"):
        a.backref(p.tw)
        a.t(" có hiệu lực từ ngày ký.\n\n")
    else:
        a.raw(a.nl2)
    a.t("Nơi nhận:\n- Thường trực Tỉnh ủy (b/c);\n- Các sở, ban, ngành;\n- Lưu: VT.\n")


def decision_doc(a):
    """A decision whose preamble is a list of Căn cứ lines (based_on)."""
    g, r, rnd = a.g, a.r, a.rnd
    p = g.pop.decisions[int(rnd() * len(g.pop.decisions))]
    header_state(a, p, "QUYẾT ĐỊNH")
    a.t("Về việc ban hành Quy chế %s\n" % r.choice(TOPICS))
    a.t("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n")
    a.self_key = p.key
    opt = a.layout_file
    law = g.pop.laws[int(rnd() * len(g.pop.laws))]
    a.t("Căn cứ ")
    a.ref(law, date=False, body=False)
    a.t(";\n")
    a.rel(p, "based_on", law, opt)
    dec = g.pop.decrees[int(rnd() * len(g.pop.decrees))]
    if dec.key != law.key:
        a.t("Căn cứ ")
        a.ref(dec, style="so", date=True, body=True)
        a.t(" về " + r.choice(TOPICS) + ";\n")
        a.rel(p, "based_on", dec, opt)
    a.t("Theo đề nghị của Giám đốc Sở Nội vụ.\n\nQUYẾT ĐỊNH:\n")
    a.t("Điều 1. Ban hành kèm theo ")
    a.backref("Quyết định")
    a.t(" Quy chế %s.\n" % r.choice(TOPICS))
    a.t("Điều 2. ")
    fill(a, 2)
    a.t("\nĐiều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, ban, ngành chịu trách "
        "nhiệm thi hành.\n")


KINDS = [(news, 70), (plan_doc, 22), (decision_doc, 8)]
KCUM, KTOT = [], 0
for _f, _w in KINDS:
    KTOT += _w
    KCUM.append(KTOT)


# ----------------------------------------------------------------------
# Chunks of articles (the unit of parallel work)
# ----------------------------------------------------------------------

CHUNK = 64
G = None  # the generator state, inherited by worker processes


class Gen:
    def __init__(self, seed, size, layout):
        self.seed, self.layout = seed, layout
        self.pop = Population(seed, size)
        r = Rng(seed * 31 + 5)
        sentences = filler_pool(r, 3000)
        self.caches = {(a, b): {} for a in (0, 1) for b in (0, 1)}
        # Blocks of n sentences, pre-encoded in the four forms of an article.
        plain = {n: [" ".join(r.choice(sentences) for _ in range(n)) for _ in range(1500)]
                 for n in range(1, 7)}
        self.blocks = {}
        for nfd in (0, 1):
            for crlf in (0, 1):
                bl = self.blocks[(nfd, crlf)] = {
                    n: [(unicodedata.normalize("NFD", x) if nfd else x).encode()
                        for x in v] for n, v in plain.items()}
                for n in plain:
                    bl[n + 8] = [b" " + x for x in bl[n]]


def make_chunk(ci):
    """Articles ci*CHUNK .. ci*CHUNK+CHUNK-1: [(bytes, refs, shorts, rels)]."""
    g = G
    r = Rng((g.seed << 24) ^ ci)
    out = []
    lf = g.layout == "file"
    for _ in range(CHUNK):
        x = r.random()
        nfd = x < 0.1
        crlf = 0.08 < x < 0.18
        a = Art(g, r, nfd, crlf, lf)
        KINDS[bisect.bisect(KCUM, r.random() * KTOT)][0](a)
        data, refs, shorts, rels = a.finish()
        if not lf and r.random() < 0.02:  # a BOM shifts every offset by 3
            data = b"\xef\xbb\xbf" + data
            refs = [(t[0] + 3, t[1] + 3, t[2], t[3] + ("+bom" if t[3].count("|") > 1 else "|bom"))
                    + tuple(t[4:]) for t in refs]
            shorts = [(s + 3, e + 3, res) for s, e, res in shorts]
        out.append((data, refs, shorts, rels))
    return out


def key_text(fname, refs, shorts, rels):
    """The answer-key lines of one article as a %-format with a "%d" for
    every offset, and the offsets (relative to the article) in order: the
    caller adds the article's place in its file.  Keys, labels and file
    names never hold a "%"."""
    out, offs = [], []
    f = json.dumps(fname, ensure_ascii=False)
    for s, e, k, v, dt, date in refs:
        out.append('{"file":%s,"start":%%d,"end":%%d,"key":"%s","v":"%s","doc_type":%s,'
                   '"date":%s}\n' % (f, k, v, '"%s"' % dt if dt else "null",
                                     '"%s"' % date if date else "null"))
        offs.append(s)
        offs.append(e)
    for s, e, res in shorts:
        out.append('{"file":%s,"start":%%d,"end":%%d,"key":null,"short":true,'
                   '"resolves_to":%s}\n' % (f, '"%s"' % res if res else "null"))
        offs.append(s)
        offs.append(e)
    for src, kind, dst, opt in rels:
        out.append('{"file":%s,"rel":"%s","source":"%s","target":"%s","opt":%s}\n'
                   % (f, kind, src, dst, "true" if opt else "false"))
    return "".join(out), offs


def file_chunk(ci, parts):
    """File layout, in a worker: the chunk's bytes (articles joined by blank
    lines) go to parts/cNNNNNNN; returned are, for each article, where it
    ends in the chunk, its key format and offsets (relative to the chunk),
    and its counts.  The parent only copies files and formats the key."""
    out, buf, pos = [], [], 0
    for j, (data, refs, shorts, rels) in enumerate(make_chunk(ci)):
        if ci or j:
            buf.append(b"\n\n")
            pos += 2
        fmt, offs = key_text("corpus.txt", refs, shorts, rels)
        buf.append(data)
        out.append((pos + len(data), fmt, [o + pos for o in offs], len(refs), len(shorts),
                    len(rels)))
        pos += len(data)
    with open(os.path.join(parts, "c%07d" % ci), "wb") as fh:
        fh.write(b"".join(buf))
    return out


def copy_part(dst, path, count):
    """Append the first `count` bytes of `path` to the open file `dst`."""
    with open(path, "rb") as src:
        dst.flush()
        left = count
        try:
            while left > 0:
                n = os.copy_file_range(src.fileno(), dst.fileno(), left)
                if n <= 0:
                    break
                left -= n
        except (AttributeError, OSError):
            src.seek(count - left)
        while left > 0:
            b = src.read(min(left, 1 << 20))
            if not b:
                break
            dst.write(b)
            left -= len(b)
    os.unlink(path)


def parse_size(s):
    s = s.strip().upper()
    mult = 1
    for suf, m in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3), ("G", 10**9),
                   ("M", 10**6), ("K", 10**3)):
        if s.endswith(suf):
            s, mult = s[: -len(suf)], m
            break
    return int(float(s) * mult)


def art_name(i):
    return "p%04d/a%07d.txt" % (i // 1000, i)


_made = set()


def dir_chunk(ci, root):
    """Dir layout, in a worker: write the chunk's files, return for each
    article its size and its answer-key lines."""
    out = []
    for j, (data, refs, shorts, rels) in enumerate(make_chunk(ci)):
        name = art_name(ci * CHUNK + j)
        sub = name[:5]
        if sub not in _made:
            os.makedirs(os.path.join(root, sub), exist_ok=True)
            _made.add(sub)
        with open(os.path.join(root, name), "wb") as fh:
            fh.write(data)
        fmt, offs = key_text(name, refs, shorts, rels)
        out.append((len(data), fmt % tuple(offs), len(refs), len(shorts), len(rels)))
    return out


def cmd_make(args):
    global G
    import multiprocessing as mp
    t0 = time.time()
    size = parse_size(args.size)
    # The population is hundreds of thousands of long-lived objects and the
    # generator makes no reference cycles: without this the cyclic collector
    # would walk the population over and over (half the time at 1 GB).
    gc.disable()
    G = Gen(args.seed, size, args.layout)
    gc.freeze()
    os.makedirs(args.out, exist_ok=True)
    keyf = open(os.path.join(args.out, "key.jsonl"), "w", encoding="utf-8")
    jobs = max(1, args.jobs or os.cpu_count() or 1)
    total = narts = nrefs = nshort = nrels = 0
    is_file = args.layout == "file"
    root = os.path.join(args.out, "corpus")
    parts = os.path.join(args.out, ".parts")
    if is_file:
        big = open(os.path.join(args.out, "corpus.txt"), "wb")
        os.makedirs(parts, exist_ok=True)
        fn, fargs = file_chunk, (parts,)
    else:
        if os.path.isdir(root):
            import shutil
            shutil.rmtree(root)
        os.makedirs(root)
        fn, fargs = dir_chunk, (root,)
    pool = mp.get_context("fork").Pool(jobs) if jobs > 1 else None
    pending, nxt, ci = [], 0, 0
    done = False
    while not done:
        while pool and len(pending) < jobs * 2:
            pending.append(pool.apply_async(fn, (nxt,) + fargs))
            nxt += 1
        if pool:
            chunk = pending.pop(0).get()
        else:
            chunk = fn(nxt, *fargs)
            nxt += 1
        base, end = total, 0
        for item in chunk:
            if is_file:
                end, fmt, offs, nr, ns, nl = item
                keyf.write(fmt % tuple([o + base for o in offs]))
                total = base + end
            else:
                n, text, nr, ns, nl = item
                keyf.write(text)
                total += n
            narts += 1
            nrefs += nr
            nshort += ns
            nrels += nl
            if total >= size:
                done = True
                break
        if is_file:
            copy_part(big, os.path.join(parts, "c%07d" % ci), end)
        ci += 1
    if pool:
        pool.close()
        rest = [p.get() for p in pending]
        pool.join()
        if not is_file:  # files written ahead of the target
            last = narts
            upto = (ci + len(rest)) * CHUNK
            for i in range(last, upto):
                p = os.path.join(root, art_name(i))
                if os.path.exists(p):
                    os.unlink(p)
            for i in range(last // 1000 + 1, upto // 1000 + 1):
                d = os.path.join(root, "p%04d" % i)
                if os.path.isdir(d) and not os.listdir(d):
                    os.rmdir(d)
    elif not is_file:
        for i in range(narts, nxt * CHUNK):
            p = os.path.join(root, art_name(i))
            if os.path.exists(p):
                os.unlink(p)
    if is_file:
        big.write(b"\n")
        total += 1
        big.close()
        import shutil
        shutil.rmtree(parts, ignore_errors=True)
    keyf.close()
    dt = time.time() - t0
    tm = os.times()
    meta = {"seed": args.seed, "size_target": size, "layout": args.layout,
            "bytes": total, "articles": narts, "references": nrefs,
            "short_forms": nshort, "relations": nrels,
            "documents_in_population": len(G.pop.all), "seconds": round(dt, 3),
            "mb_per_s": round(total / 1e6 / dt, 1), "jobs": jobs,
            "cpu_main_s": round(tm.user + tm.system, 2),
            "cpu_workers_s": round(tm.children_user + tm.children_system, 2)}
    with open(os.path.join(args.out, "meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    print(json.dumps(meta), file=sys.stderr)


# ----------------------------------------------------------------------
# Scoring
# ----------------------------------------------------------------------

SCORED_RELS = ("implements", "reviews", "based_on")


def _near(lst, s, e, ok):
    """The first entry of lst (sorted by start) overlapping [s, e) with ok."""
    i = bisect.bisect_left(lst, [s])
    for j in range(max(0, i - 3), min(len(lst), i + 3)):
        g_ = lst[j]
        if g_[0] < e and s < g_[1] and ok(g_):
            return g_
    return None


def _f1(tp, npred, ngold):
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    return round(p, 5), round(r, 5), round(2 * p * r / (p + r) if p + r else 0.0, 5)


def cmd_score(args):
    root = (args.root or "").rstrip("/")
    gold, shorts, grels = {}, {}, {}
    with open(args.key, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            f = o["file"]
            if "rel" in o:
                m_ = grels.setdefault(f, {})
                t_ = (o["source"], o["rel"], o["target"])
                m_[t_] = m_.get(t_, True) and o["opt"]
            elif o.get("short"):
                shorts.setdefault(f, []).append([o["start"], o["end"], o["resolves_to"], None])
            else:
                gold.setdefault(f, []).append([o["start"], o["end"], o["key"], o["v"],
                                               o["doc_type"], o["date"], None])
    for v in gold.values():
        v.sort()
    for v in shorts.values():
        v.sort()
    err = {"fp": [], "fp_short": [], "span": [], "doc_type": [], "date": [],
           "resolves_to": [], "mis_keyed": []}
    strict = doc_ok = doc_n = date_ok = date_n = res_ok = res_n = 0
    prels = {}
    npred = nshort_pred = 0
    with open(args.pred, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            f = o["file"]
            if root and f.startswith(root):
                f = f[len(root):].lstrip("/")
            s, e, k = o["start"], o["end"], o["key"]
            src = k or o.get("resolves_to")
            for rr in o.get("relations", ()):
                if rr["type"] in SCORED_RELS and src:
                    prels.setdefault(f, {}).setdefault((src, rr["type"], rr["target"]), (f, s, e))
            if k is None:
                nshort_pred += 1
                hit = _near(shorts.get(f, ()), s, e, lambda g_: g_[3] is None)
                if hit is None:
                    err["fp_short"].append((f, s, e, o["surface"]))
                    continue
                hit[3] = o
                if hit[2] != "?":
                    res_n += 1
                    if o["resolves_to"] == hit[2]:
                        res_ok += 1
                    else:
                        err["resolves_to"].append((f, s, e, "want %s got %s" % (
                            hit[2], o["resolves_to"])))
                continue
            npred += 1
            lst = gold.get(f, ())
            hit = _near(lst, s, e, lambda g_: g_[6] is None and g_[2] == k)
            if hit is None:
                other = _near(lst, s, e, lambda g_: True)
                if other is not None:
                    err["mis_keyed"].append((f, s, e, "%s: want %s got %s" % (
                        other[3], other[2], k)))
                err["fp"].append((f, s, e, "%s %r" % (k, o["surface"])))
                continue
            hit[6] = o
            if hit[0] == s and hit[1] == e:
                strict += 1
            else:
                err["span"].append((f, s, e, "%s: want %d-%d got %d-%d %r" % (
                    hit[3], hit[0], hit[1], s, e, o["surface"])))
            if hit[4] is not None or o["doc_type"] is not None:
                doc_n += 1
                if hit[4] == o["doc_type"]:
                    doc_ok += 1
                else:
                    err["doc_type"].append((f, s, e, "%s: want %s got %s" % (
                        hit[3], hit[4], o["doc_type"])))
            if hit[5] is not None:
                date_n += 1
                if hit[5] == o["date"]:
                    date_ok += 1
                else:
                    err["date"].append((f, s, e, "%s: want %s got %s" % (
                        hit[3], hit[5], o["date"])))
    ngold = sum(len(v) for v in gold.values())
    tp = 0
    by_v = {}
    fn = []
    for f, v in gold.items():
        for g_ in v:
            found = g_[6] is not None
            tp += found
            parts_ = g_[3].split("|")
            ff = parts_[2] if len(parts_) > 2 else "nfc-lf"
            for lab in ("form:" + parts_[0], "code:" + parts_[1], "file:" + ff):
                c = by_v.setdefault(lab, [0, 0])
                c[0] += 1
                c[1] += found
            if not found:
                fn.append((f, g_[0], g_[1], "%s %s" % (g_[3], g_[2])))
    fn_short = [(f, g_[0], g_[1], "resolves_to %s" % g_[2])
                for f, v in shorts.items() for g_ in v if g_[3] is None]
    P, R, F = _f1(tp, npred, ngold)
    nsg = sum(len(v) for v in shorts.values())
    shP, shR, shF = _f1(nsg - len(fn_short), nshort_pred, nsg)
    rtp = 0
    rel_fp, rel_fn = [], []
    for f in set(grels) | set(prels):
        gm, pm = grels.get(f, {}), prels.get(f, {})
        for t, where in pm.items():
            if t not in gm:
                rel_fp.append(where + ("%s %s %s" % t,))
            elif not gm[t]:
                rtp += 1
        for t, opt in gm.items():
            if t not in pm and not opt:
                rel_fn.append((f, 0, 0, "%s %s %s" % t))
    rP, rR, rF = _f1(rtp, rtp + len(rel_fp), rtp + len(rel_fn))
    out = {
        "gold_refs": ngold, "pred_refs": npred, "tp": tp,
        "precision": P, "recall": R, "f1": F,
        "strict_span_f1": _f1(strict, npred, ngold)[2],
        "doc_type_accuracy": round(doc_ok / doc_n, 5) if doc_n else None,
        "date_accuracy": round(date_ok / date_n, 5) if date_n else None,
        "short_forms": {"gold": nsg, "pred": nshort_pred, "precision": shP,
                        "recall": shR, "f1": shF,
                        "resolves_to_accuracy": round(res_ok / res_n, 5) if res_n else None},
        "relations": {"tp": rtp, "fp": len(rel_fp), "fn": len(rel_fn), "precision": rP,
                      "recall": rR, "f1": rF},
        "recall_by_variant": {k: "%d/%d" % (v[1], v[0]) for k, v in sorted(by_v.items())},
    }
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1, ensure_ascii=False)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if not args.examples:
        return
    corpus = args.corpus

    def ctx(f, s, e):
        if not corpus or e <= s:
            return ""
        p = corpus if os.path.isfile(corpus) else os.path.join(corpus, f)
        with open(p, "rb") as fh:
            fh.seek(max(0, s - 50))
            b = fh.read(e - max(0, s - 50) + 50)
        return "  …" + b.decode("utf-8", "replace").replace("\r", "␍").replace("\n", "⏎") + "…"

    n = args.examples
    groups = [("missed (gold not found)", fn), ("false positives", err["fp"]),
              ("mis-keyed (a gold reference overlaps)", err["mis_keyed"]),
              ("span differs", err["span"]), ("doc_type differs", err["doc_type"]),
              ("date differs", err["date"]), ("short forms missed", fn_short),
              ("short forms not in the key", err["fp_short"]),
              ("resolves_to differs", err["resolves_to"]),
              ("relations missed", rel_fn), ("relations not in the key", rel_fp)]
    for title, items in groups:
        if not items:
            continue
        print("\n# %s: %d" % (title, len(items)))
        seen = {}
        for f, s, e, what in items:
            lab = what.split(":")[0].split(" ")[0]
            if seen.get(lab, 0) >= n:
                continue
            seen[lab] = seen.get(lab, 0) + 1
            print("  %s  %s:%d-%d%s" % (what, f, s, e, ctx(f, s, e)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make", help="generate a corpus and its answer key")
    m.add_argument("--size", default="10MB")
    m.add_argument("--out", required=True)
    m.add_argument("--layout", choices=("dir", "file"), default="dir")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    s = sub.add_parser("score", help="score vbgraph extract output against a key")
    s.add_argument("--key", required=True)
    s.add_argument("--pred", required=True)
    s.add_argument("--root", default="", help="path prefix to strip from predicted files")
    s.add_argument("--json", help="write the figures here too")
    s.add_argument("--examples", type=int, default=0, help="print N examples of each error")
    s.add_argument("--corpus", help="corpus dir or file, to show context in examples")
    args = ap.parse_args()
    if args.cmd == "make":
        cmd_make(args)
    else:
        cmd_score(args)


if __name__ == "__main__":
    main()
