"""Regenerate tests/data/encrypted.docx: a tiny Word document, password "msp".

Needs msoffcrypto-tool (``pip install msoffcrypto-tool``); the tests only read
the committed output, so they do not need it. The encryption is salted, so
each run gives different bytes; any of them is a valid test input.

    python tests/data/make_encrypted_docx.py
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import msoffcrypto
from msoffcrypto.format.ooxml import OOXMLFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def plain_docx() -> bytes:
    buf = io.BytesIO()
    # stored, not deflated: msoffcrypto's encryption of packages under 4 KiB does not
    # decrypt back, so the package is kept above that size
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
            "<w:p><w:r><w:t>Name: Secret Child</w:t></w:r></w:p>"
            + "".join(f"<w:p><w:r><w:t>Paragraph {i} of a protected plan.</w:t></w:r></w:p>" for i in range(60))
            + "</w:body></w:document>",
        )
    return buf.getvalue()


def main() -> None:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain_docx())).encrypt("msp", out)
    check = msoffcrypto.OfficeFile(io.BytesIO(out.getvalue()))
    check.load_key(password="msp")
    check.decrypt(io.BytesIO())  # raises if it does not decrypt back
    target = Path(__file__).with_name("encrypted.docx")
    target.write_bytes(out.getvalue())
    print(f"wrote {target} ({len(out.getvalue())} bytes)")


if __name__ == "__main__":
    main()
