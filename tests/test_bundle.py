"""The bundle for an EHC needs assessment request: one ZIP, and bundle.pdf in it.

LibreOffice is installed in CI; the tests that convert office documents need it
and run there. fixtures/evidence/ holds the evidence folders (make_evidence.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter

import msp_convert
from msp_convert import office
from msp_convert.ehc.bundle import BundleError, BundleOptions, BundleResult, make_bundle
from msp_convert.ehc.check import check_plan, to_text
from msp_convert.writers.json import to_json

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "fixtures" / "plans"
EVIDENCE = REPO / "fixtures" / "evidence"
ANDREI = PLANS / "12-ks4-eal-sen.docx"
RUBY = PLANS / "03-ks2-dyslexia.docx"
MISSING_SOFFICE = "/nonexistent/libreoffice/soffice"
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*")

ANDREI_DOCUMENTS = [  # (name in the ZIP, original in the evidence folder)
    ("01-plan.docx", "12-ks4-eal-sen.docx"),
    ("02-family-parent-views-translated.docx", "Parent views (translated).docx"),
    ("03-education-access-reading-test-2018-10-10.pdf", "school/Access Reading Test 10.10.2018.pdf"),
    ("04-education-eal-assessment-bell-foundation-framework-2018-09-19.pdf", "EAL Bell Foundation assessment Sept 2018.pdf"),
    ("05-careers-careers-interview-record-2019-01-30.jpg", "Careers interview 30-01-2019.jpg"),
    ("06-other-letter-from-previous-school-in-romania.png", "Letter from previous school Romania.png"),
]
ANDREI_OUTLINE = [
    "1. My Support Plan, as it stands, with its reviews",
    "2. Family/young person 1: Parent views (translated)",
    "3. Education 1: Access Reading Test (10 October 2018)",
    "4. Education 2: EAL assessment (Bell Foundation framework) (19 September 2018)",
    "5. Careers 1: Careers interview record (30 January 2019)",
    "6. Other evidence 1: Letter from previous school in Romania (translated)",
]


def options(plan: Path, evidence: Path, out: Path, **kw) -> BundleOptions:
    return BundleOptions(plan, evidence, out, **kw)


def bundled(plan: Path, evidence: Path, out: Path, **kw) -> BundleResult:
    """The bundle of the plan at ``plan``, read as the CLI reads it."""
    return make_bundle(options(plan, evidence, out, **kw), msp_convert.read(plan))


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def copy_evidence(name: str, tmp: Path) -> Path:
    folder = tmp / "evidence"
    shutil.copytree(EVIDENCE / name, folder)
    return folder


@pytest.fixture(scope="module")
def andrei(tmp_path_factory: pytest.TempPathFactory):
    assert office.find_soffice(), "LibreOffice (soffice) must be installed for these tests (CI installs it)"
    out = tmp_path_factory.mktemp("andrei") / "andrei.zip"
    result = bundled(ANDREI, EVIDENCE / "12-ks4-eal-sen", out)
    return result, out, members(out)


def test_the_zip_holds_the_plan_its_evidence_and_the_readiness_report(andrei) -> None:
    result, out, files = andrei
    assert list(files) == ["manifest.json", "plan.json", "readiness.txt", "readiness.json", *[n for n, _ in ANDREI_DOCUMENTS], "bundle.pdf"]
    plan = msp_convert.read(ANDREI)
    assert files["plan.json"].decode("utf-8") == to_json(plan)

    # The readiness report: check_plan's findings, and the evidence as matched for the bundle.
    report = json.loads(files["readiness.json"])
    found = {(f["code"], f["where"]) for f in report["findings"]}
    assert {(f.code, f.where) for f in check_plan(plan).findings} <= found
    assert ("progress-missing", "section 6 review R1") in found and ("not-completed", "section 1b") in found
    assert ("evidence-missing", "section 7 careers") in found
    assert report["ready"] is False and report["evidence_checked"] is True
    assert report["unmatched_files"] == ["Lunch menu autumn term.pdf"]
    text = files["readiness.txt"].decode("utf-8")
    assert text == to_text(result.readiness, "12-ks4-eal-sen.docx")
    assert text.startswith("12-ks4-eal-sen.docx: NOT READY")
    assert "  careers 2: College application -> no file found" in text
    assert "  education 1: Access Reading Test (2018-10-10) -> school/Access Reading Test 10.10.2018.pdf" in text


def test_matches_and_the_manifest_checksums(andrei) -> None:
    result, out, files = andrei
    manifest = json.loads(files["manifest.json"])
    docs = manifest["documents"]
    assert [(d["name"], d["original"]) for d in docs] == ANDREI_DOCUMENTS
    assert [(d["category"], d["index"]) for d in docs] == [("plan", None), ("family", 1), ("education", 1), ("education", 2), ("careers", 1), ("other", 1)]
    assert [d["pages"] for d in docs[2:]] == [1, 2, 1, 1]
    assert all(d["problem"] is None for d in docs)
    assert manifest["missing"] == [{"category": "careers", "index": 2, "reference": "College application", "date": None}]
    assert manifest["unmatched_files"] == ["Lunch menu autumn term.pdf"] and manifest["refused_files"] == []
    # Every file in the ZIP is listed with its sha256; the evidence is byte for byte what was given.
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
    for name, data in files.items():
        if name != "manifest.json":
            assert manifest["files"][name] == hashlib.sha256(data).hexdigest(), name
    for doc in docs[1:]:
        original = (EVIDENCE / "12-ks4-eal-sen" / doc["original"]).read_bytes()
        assert doc["sha256"] == hashlib.sha256(original).hexdigest() == hashlib.sha256(files[doc["name"]]).hexdigest()
        assert doc["bytes"] == len(original)
    assert docs[0]["sha256"] == hashlib.sha256(files["01-plan.docx"]).hexdigest()
    assert manifest["plan"]["sha256"] == hashlib.sha256(ANDREI.read_bytes()).hexdigest()
    assert manifest["bundle_pdf"] == {"name": "bundle.pdf", "pages": result.pdf_pages}


def test_bundle_pdf_cover_contents_parts_bookmarks_and_page_numbers(andrei) -> None:
    result, out, files = andrei
    manifest = json.loads(files["manifest.json"])
    reader = PdfReader(io.BytesIO(files["bundle.pdf"]))
    parts = [d["pages"] for d in manifest["documents"]]
    assert all(parts) and parts[0] >= 5  # the plan converted by LibreOffice
    assert len(reader.pages) == 1 + 1 + sum(parts) == result.pdf_pages  # cover, contents, each document
    # One bookmark per document, at its first page.
    outline = reader.outline
    assert [item.title for item in outline] == ANDREI_OUTLINE
    starts = [reader.get_destination_page_number(item) + 1 for item in outline]
    assert starts == [d["bundle_pdf_pages"][0] for d in manifest["documents"]]
    assert starts[0] == 3 and all(b - a == n for a, b, n in zip(starts, starts[1:] + [len(reader.pages) + 1], parts))
    # Fixed metadata, a fixed /ID, no dates.
    assert reader.metadata == {"/Title": "EHC needs assessment request: 12-ks4-eal-sen.docx", "/Producer": "msp-convert", "/Creator": "msp-convert"}
    assert len(reader.trailer["/ID"][0]) == 16
    with pdfplumber.open(io.BytesIO(files["bundle.pdf"])) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            foot = page.crop((0, page.height - 24, page.width, page.height)).extract_text()
            assert foot.strip() == f"Page {number} of {total}", number
        cover = " ".join(pdf.pages[0].extract_text().split())
        assert "Request for an Education, Health and Care needs assessment" in cover and "Andrei Popescu" in cover
        assert "not ready: 12 thing(s) to do" in cover
        contents = " ".join(pdf.pages[1].extract_text().split())
        assert "Contents" in contents
        assert f"01 My Support Plan, as it stands, with its reviews 3\u2013{starts[1] - 1}" in contents
        assert f"Education 1: Access Reading Test (10 October 2018) {starts[2]}" in contents
        assert f" {starts[3]}\u2013{starts[3] + 1} " in contents  # two pages
        assert "Careers 2: College application No file for this reference is in the bundle." in contents
        assert "Access Reading Test: results" in pdf.pages[starts[2] - 1].extract_text()
        assert "Careers interview record" not in (pdf.pages[starts[4] - 1].extract_text() or "")  # a scan: an image, no text


def test_same_inputs_give_the_same_zip(andrei, tmp_path: Path) -> None:
    _result, out, files = andrei
    again = tmp_path / "again.zip"
    bundled(ANDREI, EVIDENCE / "12-ks4-eal-sen", again)
    assert again.read_bytes() == out.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_plan_goes_as_is_with_its_history(andrei) -> None:
    """01-plan.docx is the writer's as-is DOCX: reviews, review markers and struck provision kept."""
    from msp_convert.writers.docx import write_docx

    _result, _out, files = andrei
    plan = msp_convert.read(ANDREI)
    written = msp_convert.read(data=files["01-plan.docx"], filename="01-plan.docx")
    with zipfile.ZipFile(io.BytesIO(write_docx(plan, mode="as-is"))) as direct, zipfile.ZipFile(io.BytesIO(files["01-plan.docx"])) as kept:
        assert [(i.filename, direct.read(i)) for i in direct.infolist()] == [(i.filename, kept.read(i)) for i in kept.infolist()]
    assert [(r.label, r.date) for r in written.reviews] == [(r.label, r.date) for r in plan.reviews] and len(plan.reviews) == 3
    assert [[p.model_dump() for p in r.progress] for r in written.reviews] == [[p.model_dump() for p in r.progress] for r in plan.reviews]
    struck = [(p.outcome_number, e.text) for p in plan.provision for e in p.resources if e.withdrawn]
    assert struck and struck == [(p.outcome_number, e.text) for p in written.provision for e in p.resources if e.withdrawn]
    columns = ("steps", "targets", "actions", "who", "frequency", "resources")
    marked = [(e.review, e.review_date) for p in plan.provision for c in columns for e in getattr(p, c) if e.review]
    assert marked and marked == [(e.review, e.review_date) for p in written.provision for c in columns for e in getattr(p, c) if e.review]


def test_a_second_plan_with_a_tiff_scan_and_a_word_report(tmp_path: Path) -> None:
    out = tmp_path / "ruby.zip"
    result = bundled(RUBY, EVIDENCE / "03-ks2-dyslexia", out)
    files = members(out)
    manifest = json.loads(files["manifest.json"])
    assert [(d["name"], d["original"], d["pages"]) for d in manifest["documents"]][1:] == [
        ("02-education-learning-support-service-report-2018-10-16.docx", "Learning Support Service report Oct 2018.docx", 1),
        ("03-education-msp-no-2-2018-03-20.pdf", "MSP 2 2018-03-20.pdf", 3),
        ("04-health-optometrist-letter-2018-07-02.tiff", "Optometrist letter July 2018.tiff", 2),
    ]
    assert manifest["missing"] == [] and manifest["unmatched_files"] == ["Class photo 2018.jpg"]
    reader = PdfReader(io.BytesIO(files["bundle.pdf"]))
    assert len(reader.pages) == 2 + sum(d["pages"] for d in manifest["documents"])
    assert [o.title for o in reader.outline][1:] == [
        "2. Education 1: Learning Support Service report (16 October 2018)",
        "3. Education 2: MSP No. 2 (20 March 2018)",
        "4. Health 1: Optometrist letter (2 July 2018)",
    ]
    assert not result.missing


def test_a_map_settles_the_matches(tmp_path: Path) -> None:
    folder = EVIDENCE / "12-ks4-eal-sen"
    as_json = tmp_path / "map.json"
    as_json.write_text(json.dumps({"careers 2": "Lunch menu autumn term.pdf", "Other 1": ""}), encoding="utf-8")
    result = bundled(ANDREI, folder, tmp_path / "a.zip", map_file=as_json, soffice=MISSING_SOFFICE)
    manifest = json.loads(members(tmp_path / "a.zip")["manifest.json"])
    originals = {(d["category"], d["index"]): d["original"] for d in manifest["documents"]}
    assert originals[("careers", 2)] == "Lunch menu autumn term.pdf"
    assert ("other", 1) not in originals and [(r.category, r.index) for r in result.missing] == [("other", 1)]
    assert result.unmatched == ["Letter from previous school Romania.png"]
    assert "06-careers-college-application.pdf" in result.names  # numbered in Section 7's order

    as_csv = tmp_path / "map.csv"
    as_csv.write_text("reference,file\ncareers 2,Lunch menu autumn term.pdf\nother_1,\n", encoding="utf-8")
    again = bundled(ANDREI, folder, tmp_path / "b.zip", map_file=as_csv, soffice=MISSING_SOFFICE)
    assert [(d.category, d.index, d.original) for d in again.documents] == [(d.category, d.index, d.original) for d in result.documents]

    for bad, says in (
        ({"education 9": "x.pdf"}, "Section 7 lists 2 education reference(s)"),
        ({"education 1": "../12-ks4-eal-sen.docx"}, "is not a file in the evidence folder"),
        ({"education 1": "/etc/passwd"}, "is not a file in the evidence folder"),
        ({"homework 1": "x.pdf"}, "is not a Section 7 reference"),
    ):
        as_json.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(BundleError, match=re.escape(says)) as err:
            bundled(ANDREI, folder, tmp_path / "c.zip", map_file=as_json, soffice=MISSING_SOFFICE)
        assert err.value.name == "map.json"
    assert not (tmp_path / "c.zip").exists()


def test_names_in_the_zip_are_sanitised(tmp_path: Path) -> None:
    plan = msp_convert.read(ANDREI)
    plan.appendices.education[0].reference = "../../etc/passwd \x07 Évaluation\\..\\report/"
    plan.appendices.careers[1].reference = "\x00\x1b/..\\"
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "report..\x07 odd\\name 10.10.2018.PDF").write_bytes((EVIDENCE / "12-ks4-eal-sen" / "Lunch menu autumn term.pdf").read_bytes())
    (folder / "college.p\x01df").write_bytes(b"not a pdf")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"education 1": "report..\x07 odd\\name 10.10.2018.PDF", "careers 2": "college.p\x01df"}), encoding="utf-8")
    out = tmp_path / "b.zip"
    result = make_bundle(options(ANDREI, folder, out, map_file=mapping, soffice=MISSING_SOFFICE), plan)
    names = list(members(out))
    assert "02-education-etc-passwd-evaluation-report-2018-10-10.pdf" in names
    assert "03-careers-document" in names  # nothing left of the reference, no usable extension
    for name in names:
        assert SAFE_NAME.fullmatch(name) and ".." not in name, repr(name)
    manifest = json.loads(members(out)["manifest.json"])
    assert {d["original"] for d in manifest["documents"]} >= {"report..\x07 odd\\name 10.10.2018.PDF", "college.p\x01df"}
    for line in result.messages():
        assert not re.search(r"[\x00-\x1f]", line), repr(line)


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = copy_evidence("12-ks4-eal-sen", tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "College application.pdf").write_bytes((EVIDENCE / "12-ks4-eal-sen" / "Lunch menu autumn term.pdf").read_bytes())
    os.symlink(outside / "College application.pdf", folder / "College application.pdf")
    os.symlink(outside, folder / "more")
    os.symlink(folder / "Lunch menu autumn term.pdf", folder / "menu link.pdf")  # inside: allowed
    result = bundled(ANDREI, folder, tmp_path / "b.zip", soffice=MISSING_SOFFICE)
    assert result.refused == ["College application.pdf", "more"]
    assert [(r.category, r.index) for r in result.missing] == [("careers", 2)]
    assert "menu link.pdf" in result.unmatched
    manifest = json.loads(members(tmp_path / "b.zip")["manifest.json"])
    assert manifest["refused_files"] == ["College application.pdf", "more"]
    assert all(not d["original"].startswith(("College", "more")) for d in manifest["documents"])
    report = json.loads(members(tmp_path / "b.zip")["readiness.json"])
    assert [f["message"] for f in report["findings"] if f["code"] == "evidence-refused"] == [
        "College application.pdf is a link to a file outside the evidence folder and was not used.",
        "more is a link to a file outside the evidence folder and was not used.",
    ]
    assert any("College application.pdf: refused" in line for line in result.messages())
    # A person cannot settle a reference onto it either.
    mapping = tmp_path / "map.csv"
    mapping.write_text("careers 2,College application.pdf\n", encoding="utf-8")
    with pytest.raises(BundleError, match="a link to a file outside the evidence folder"):
        bundled(ANDREI, folder, tmp_path / "c.zip", map_file=mapping, soffice=MISSING_SOFFICE)


def test_an_encrypted_or_damaged_evidence_file_is_reported(tmp_path: Path) -> None:
    folder = copy_evidence("12-ks4-eal-sen", tmp_path)
    locked = folder / "EAL Bell Foundation assessment Sept 2018.pdf"
    writer = PdfWriter(clone_from=io.BytesIO(locked.read_bytes()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    locked.write_bytes(buffer.getvalue())
    damaged = folder / "school" / "Access Reading Test 10.10.2018.pdf"
    damaged.write_bytes(damaged.read_bytes()[:200])
    word = folder / "Parent views (translated).docx"
    shutil.copyfile(REPO / "fixtures" / "legacy" / "09-ks2-adhd.encrypted.docx", word)  # password-protected Word
    out = tmp_path / "b.zip"
    result = bundled(ANDREI, folder, out)
    files = members(out)
    manifest = json.loads(files["manifest.json"])
    docs = {d["original"]: d for d in manifest["documents"]}
    eal, test, views = docs[locked.name], docs["school/Access Reading Test 10.10.2018.pdf"], docs[word.name]
    assert "locked with a password" in eal["problem"] and eal["pages"] is None and eal["bundle_pdf_pages"] is None
    assert "locked with a password" in views["problem"] and views["bundle_pdf_pages"] is None
    assert "damaged" in test["problem"] and test["bundle_pdf_pages"] is None
    assert files[eal["name"]] == locked.read_bytes()  # in the ZIP as it was given
    report = json.loads(files["readiness.json"])
    unusable = {f["where"]: f for f in report["findings"] if f["code"] == "evidence-unusable"}
    assert set(unusable) == {"section 7 family", "section 7 education"}
    assert len([f for f in report["findings"] if f["code"] == "evidence-unusable" and f["blocking"]]) == 3
    lines = result.messages()
    assert any(locked.name in line and "locked with a password" in line for line in lines)
    reader = PdfReader(io.BytesIO(files["bundle.pdf"]))
    assert len(reader.pages) == 2 + sum(d["pages"] or 0 for d in manifest["documents"])
    assert [o.title for o in reader.outline] == [ANDREI_OUTLINE[0], ANDREI_OUTLINE[4], ANDREI_OUTLINE[5]]
    with pdfplumber.open(io.BytesIO(files["bundle.pdf"])) as pdf:
        contents = " ".join(pdf.pages[1].extract_text().split())
    assert "Not in this PDF: it is locked with a password (encrypted)" in contents


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msp_convert", "bundle", *args], capture_output=True, text=True, timeout=300, env=env)


def test_without_libreoffice_the_zip_is_written_without_bundle_pdf(tmp_path: Path) -> None:
    out = tmp_path / "b.zip"
    done = run(str(ANDREI), "--evidence", str(EVIDENCE / "12-ks4-eal-sen"), "-o", str(out), env={**os.environ, office.ENV: MISSING_SOFFICE})
    assert done.returncode == 0, done.stderr
    assert "WITHOUT bundle.pdf: LibreOffice was not found" in done.stderr and "apt-get install libreoffice-writer-nogui" in done.stderr
    files = members(out)
    assert list(files) == ["manifest.json", "plan.json", "readiness.txt", "readiness.json", *[n for n, _ in ANDREI_DOCUMENTS]]
    manifest = json.loads(files["manifest.json"])
    assert manifest["bundle_pdf"]["name"] is None and "libreoffice-writer-nogui" in manifest["bundle_pdf"]["why_not"]
    assert [d["pages"] for d in manifest["documents"]] == [None, None, 1, 2, 1, 1]  # office documents are not counted without it


def test_the_command_says_what_is_missing_without_plan_content(andrei, tmp_path: Path) -> None:
    _result, first, _files = andrei
    out = tmp_path / "b.zip"
    done = run(str(ANDREI), "--evidence", str(EVIDENCE / "12-ks4-eal-sen"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == first.read_bytes()
    assert done.stdout == ""
    assert "12-ks4-eal-sen.docx: NOT READY for an EHC needs assessment request" in done.stderr
    assert "no file for Section 7 careers 2" in done.stderr and "Lunch menu autumn term.pdf" in done.stderr
    assert "bundle.pdf of" in done.stderr
    for content in ("Andrei", "Popescu", "College application", "Castlefield"):
        assert content not in done.stderr
    # Errors: exit 1, the file named.
    mapping = tmp_path / "map.json"
    mapping.write_text("[1, 2]", encoding="utf-8")
    bad = run(str(ANDREI), "--evidence", str(EVIDENCE / "12-ks4-eal-sen"), "-o", str(tmp_path / "c.zip"), "--map", str(mapping))
    assert bad.returncode == 1 and bad.stderr.startswith("msp-convert: map.json: should be a JSON object")
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a document")
    bad = run(str(junk), "--evidence", str(EVIDENCE / "12-ks4-eal-sen"), "-o", str(tmp_path / "c.zip"))
    assert bad.returncode == 1 and bad.stderr.startswith("msp-convert: junk.docx: ")
    bad = run(str(ANDREI), "--evidence", str(EVIDENCE / "12-ks4-eal-sen"), "-o", str(tmp_path / "no" / "c.zip"))
    assert bad.returncode == 1 and "c.zip: cannot be written" in bad.stderr
    assert not (tmp_path / "c.zip").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["b.zip", "junk.docx", "map.json"]


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_libreoffice_is_stopped_at_its_limit_and_its_folder_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    pids = tmp_path / "pids"
    hang = fake_soffice(tmp_path, f"echo $$ >> {pids}\nsleep 60")
    out = tmp_path / "b.zip"
    result = bundled(ANDREI, EVIDENCE / "12-ks4-eal-sen", out, soffice=hang, timeout=1)
    for doc in result.documents[:2]:  # the plan and the Word report: stopped; the rest is in bundle.pdf
        assert doc.problem == "LibreOffice took longer than 1 s over it and was stopped" and not doc.blocking
    assert result.pdf_pages == 2 + 1 + 2 + 1 + 1
    assert list(temp.iterdir()) == []
    for pid in pids.read_text().split():  # no LibreOffice left running
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)

    # A converter that fails; then a failure of ours midway: nothing left behind either way.
    result = bundled(ANDREI, EVIDENCE / "12-ks4-eal-sen", out, soffice=fake_soffice(tmp_path, "exit 3"))
    assert result.documents[0].problem.startswith("LibreOffice could not convert it")
    assert list(temp.iterdir()) == []

    real_run = office._run

    def broken(*args, **kwargs):
        real_run(*args, **kwargs)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(office, "_run", broken)
    before = out.read_bytes()
    with pytest.raises(RuntimeError):
        bundled(ANDREI, EVIDENCE / "12-ks4-eal-sen", out, soffice=fake_soffice(tmp_path, "exit 3"))
    assert list(temp.iterdir()) == [] and out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
