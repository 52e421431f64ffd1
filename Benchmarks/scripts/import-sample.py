#!/usr/bin/env python3
"""Writes N valid student rows for the schools and classes of an EduLedger SQLite database (the demo
district), as the import template's columns: FILE.csv (UTF-8 with BOM, as WPS writes it) and, with
--xlsx, the same rows as a workbook with inline strings (as some exporters write it).

    import-sample.py DB ROWS OUT.csv [--xlsx OUT.xlsx] [--year 2026]

Deterministic (fixed seed). Resident IDs use region 431103, which the demo does not use, so every
row is new; each pupil is in a grade of a primary or junior school and in one of its classes of
that school year, entering on 9月1日.
"""
import random
import sqlite3
import sys
import zipfile
from datetime import date, timedelta
from xml.sax.saxutils import escape

HEADER = ["学籍号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "年级", "班级", "入学日期", "民族", "户口性质",
          "留守儿童", "随迁子女", "寄宿生"]
GRADES = {"一年级": 6, "二年级": 7, "三年级": 8, "四年级": 9, "五年级": 10, "六年级": 11,
          "七年级": 12, "八年级": 13, "九年级": 14}
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵欣怡梓萱一诺浩宇宇轩浩然梓轩雨泽思远佳怡语桐若曦俊杰文博嘉怡晨阳"


def resident_id(birth: date, seq: int) -> str:
    body = "431103" + birth.strftime("%Y%m%d") + f"{seq:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main() -> None:
    db, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    xlsx = sys.argv[sys.argv.index("--xlsx") + 1] if "--xlsx" in sys.argv else None
    year = int(sys.argv[sys.argv.index("--year") + 1]) if "--year" in sys.argv else 2026
    con = sqlite3.connect(db)
    classes = con.execute(
        "SELECT s.code, c.grade, c.number FROM classes c JOIN schools s ON s.id = c.school_id "
        "WHERE c.school_year = ? AND s.closed IS NULL ORDER BY s.code, c.grade, c.number", (year,)).fetchall()
    classes = [c for c in classes if c[1] in GRADES]
    rng = random.Random(20260901)
    used = set()
    rows = []
    while len(rows) < n:
        code, grade, number = classes[rng.randrange(len(classes))]
        age = GRADES[grade]
        birth = date(year - age - 1, 9, 1) + timedelta(days=rng.randrange(365))
        seq = rng.randrange(1000)
        if (birth, seq) in used:
            continue
        used.add((birth, seq))
        rid = resident_id(birth, seq)
        gender = "男" if int(rid[16]) % 2 == 1 else "女"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        rows.append(["G" + rid, name, gender, birth.isoformat(), rid, code, grade, str(number), f"{year}-09-01", "汉族", "居民",
                     "是" if rng.random() < 0.05 else "否", "否", "否"])
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        for r in [HEADER] + rows:
            f.write(",".join(r) + "\r\n")
    if xlsx:
        write_xlsx(xlsx, [HEADER] + rows)


def col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(path: str, rows: list) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="学生信息" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for i, r in enumerate(rows, start=1):
                cells = "".join(f'<c r="{col(j)}{i}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for j, v in enumerate(r))
                f.write(f'<row r="{i}">{cells}</row>'.encode())
            f.write(b"</sheetData></worksheet>")


if __name__ == "__main__":
    main()
