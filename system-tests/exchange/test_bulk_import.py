"""`drs import` of 10,000 files: killed with SIGKILL halfway and re-run, the end state equals an
uninterrupted run's.

Builds two fresh SQLite databases with the same 10,000-unit registry (`drs units import`), writes
10,000 企业5表 CSV files (one per unit), imports them uninterrupted into the first database, and into the
second with a `kill -9` once about half are in, then again to completion; both databases are then
exported (`drs export`) and compared row by row. The interrupted run's second pass must report the
first half as unchanged (skipped), not import them twice.

Environment: DRS_BIN (default .build/debug/drs). Set DRS_IMPORT_FILES to use fewer files locally.
"""
import os
import pathlib
import signal
import sqlite3
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
DRS = os.environ.get("DRS_BIN", str(ROOT / ".build" / "debug" / "drs"))
FILES = int(os.environ.get("DRS_IMPORT_FILES", "10000"))

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(n):
    """A valid 统一社会信用代码 (GB 32100 with its GB 11714 organisation check)."""
    chars = list("91440300" + f"{n:08d}" + "0")
    org = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(chars[8:16], [3, 7, 9, 10, 5, 8, 4, 2]))
    check = 11 - org % 11
    chars[16] = "X" if check == 10 else ("0" if check == 11 else str(check))
    total = sum(ALPHABET.index(c) * w for c, w in zip(chars, WEIGHTS))
    return "".join(chars) + ALPHABET[(31 - total % 31) % 31]


def drs(*args, check=True):
    return subprocess.run([DRS, *args], cwd=ROOT, check=check, capture_output=True, text=True, timeout=1800)


def prepare(tmp):
    registry = tmp / "units.csv"
    lines = ["统一社会信用代码,单位详细名称,区划代码,调查对象类型"]
    lines += [f"{credit_code(n)},示例数据技术企业{n:05d},440300,数据技术企业" for n in range(FILES)]
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = tmp / "files"
    folder.mkdir()
    for n in range(FILES):
        (folder / f"e5-{n:05d}.csv").write_text(
            "表号,指标代码,栏目,数值,年份,统一社会信用代码\n"
            f"企业5表,01,本年实际,{1000 + n}.5,2026,{credit_code(n)}\n"
            f"企业5表,02,本年实际,{600 + n},2026,{credit_code(n)}\n"
            f"企业5表,03,本年实际,\"{n % 400:,}\",2026,{credit_code(n)}\n", encoding="utf-8")
    return registry, folder


def new_database(tmp, name, registry):
    database = tmp / f"{name}.sqlite"
    drs("units", "import", str(registry), "--database", str(database))
    return database


def submissions(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM submissions").fetchone()[0]


def export(database, tmp, name):
    out = tmp / f"{name}.csv"
    drs("export", "--year", "2026", "--form", "E5", "--status", "draft", "--format", "csv", "--output", str(out), "--database", str(database))
    return sorted(out.read_text(encoding="utf-8").splitlines())


def test_an_interrupted_import_resumes_to_the_same_end_state(tmp_path):
    registry, folder = prepare(tmp_path)
    whole = new_database(tmp_path, "whole", registry)
    interrupted = new_database(tmp_path, "interrupted", registry)

    result = drs("import", str(folder), "--database", str(whole), "--report", str(tmp_path / "whole.csv"))
    assert f"已导入 {FILES}，未变（跳过）0，拒绝 0" in result.stdout, result.stdout + result.stderr
    assert "份/秒" in result.stderr and "剩余" in result.stderr, "a progress bar with rate and time left"

    process = subprocess.Popen([DRS, "import", str(folder), "--database", str(interrupted), "--report", str(tmp_path / "first.csv")],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 1200
    while submissions(interrupted) < FILES // 2:
        assert process.poll() is None, "the import ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)  # polling another process's progress, not timing a result
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = submissions(interrupted)
    assert FILES // 2 <= done < FILES, done

    result = drs("import", str(folder), "--database", str(interrupted), "--report", str(tmp_path / "second.csv"))
    assert f"拒绝 0" in result.stdout, result.stdout
    skipped = int(result.stdout.split("未变（跳过）")[1].split("，")[0])
    assert skipped >= done - 1, (skipped, done)  # at most the file in flight was rolled back
    assert submissions(interrupted) == FILES
    assert export(interrupted, tmp_path, "interrupted") == export(whole, tmp_path, "whole")


def test_files_naming_the_same_form_are_stored_in_file_order(tmp_path):
    """Files are read ahead and stored several at a time; files for the same unit, form and year still
    land in file order (the last one's figures stay), and the report lists every file in order."""
    registry = tmp_path / "units.csv"
    registry.write_text("统一社会信用代码,单位详细名称,区划代码,调查对象类型\n"
                        + "".join(f"{credit_code(n)},示例数据技术企业{n:05d},440300,数据技术企业\n" for n in range(3)), encoding="utf-8")
    folder = tmp_path / "files"
    folder.mkdir()
    names, last = [], {}
    for i in range(200):   # several windows of reading ahead; unit 0 in every third file
        unit = 0 if i % 3 == 0 else 1 + i % 2
        name = f"e5-{i:03d}.csv"
        names.append(name)
        last[unit] = i + 1   # the figure of the unit's last file, in file order
        (folder / name).write_text("表号,指标代码,栏目,数值,年份,统一社会信用代码\n"
                                   f"企业5表,01,本年实际,{i + 1},2026,{credit_code(unit)}\n", encoding="utf-8")
    database = new_database(tmp_path, "ordered", registry)
    report = tmp_path / "report.csv"
    result = drs("import", str(folder), "--database", str(database), "--report", str(report))
    assert "拒绝 0" in result.stdout, result.stdout + result.stderr
    lines = report.read_text(encoding="utf-8-sig").splitlines()[1:201]
    assert [pathlib.Path(line.split(",")[0]).name for line in lines] == names
    with sqlite3.connect(database) as db:
        stored = dict(db.execute("SELECT u.credit_code, s.cells FROM submissions s JOIN units u ON u.id = s.unit_id").fetchall())
    for unit, value in last.items():
        assert f'"01:cur":"{value}"' in stored[credit_code(unit)], (unit, stored[credit_code(unit)])
