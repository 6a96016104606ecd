"""Do two OpenCV versions read the fixture scans the same? (issue 12)

    python tools/compare_opencv.py OTHER_PYTHON

``OTHER_PYTHON`` is the python of a second environment that runs this same
source with another OpenCV, e.g. one made outside the repository with
``python3 -m venv /tmp/venv-cv4 && /tmp/venv-cv4/bin/pip install -e '.[test]' 'opencv-python-headless<5'``.
Both pythons read every fixture scan (``fixtures/scans``: the scanned PDF and
the folder of JPEG pages); what each page's own image work gives (skew,
deskewed page, rules, tick boxes, strikes) and the whole model are compared.
Also shown: ``cv2.warpAffine``, which the reader no longer uses, turning the
same test page under each, against ``parsers/ocr/turn.turned``. Exit status
0 when the readings are the same, 1 when they differ.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
SCANS = REPO / "fixtures" / "scans"
SHOWN = 12  # differing leaves shown per scan


def _digest(array: Any) -> str:
    import numpy as np

    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:16]


def _primitives() -> dict[str, str]:
    """A synthetic page turned 1.3 degrees by OpenCV and by our own step."""
    import cv2
    import numpy as np

    from msp_convert.parsers.ocr.turn import turned

    page = (np.add.outer(np.arange(300) * 7, np.arange(200) * 13) % 251).astype(np.uint8)
    m = cv2.getRotationMatrix2D((100.0, 150.0), 1.3, 1.0)
    return {
        "cv2.warpAffine linear": _digest(cv2.warpAffine(page, m, (200, 300), flags=cv2.INTER_LINEAR)),
        "cv2.warpAffine nearest": _digest(cv2.warpAffine(page, m, (200, 300), flags=cv2.INTER_NEAREST)),
        "turn.turned": _digest(turned(page, 1.3, 0)),
    }


def _own_steps() -> dict[str, Any]:
    """Per page of every fixture scan, what the reader's own image work gives (no Tesseract)."""
    import numpy as np
    from PIL import Image

    from msp_convert.parsers import ocr
    from msp_convert.parsers.ocr import page as P
    from msp_convert.parsers.ocr import strike
    from msp_convert.parsers.ocr.rules import find_rules
    from msp_convert.parsers.ocr.ticks import tick_boxes
    from msp_convert.parsers.ocr.turn import skew, turned

    pages = [(f"08 p{n}", im) for n, im in enumerate(ocr.render_pdf((SCANS / "08-ks1-visual-impairment.pdf").read_bytes()), 1)]
    pages += [(f"11 {p.name}", Image.open(p)) for p in sorted((SCANS / "11-ks1-dcd").glob("page-*.jpg"))]
    out: dict[str, Any] = {}
    for name, image in pages:
        dpi = ocr._dpi(image)
        grey = np.asarray(image.convert("L"))
        angle = skew(P._binarise(grey))
        grey = turned(grey, -angle, int(np.percentile(grey, 90)))
        ink = P._binarise(grey)
        rules_h, rules_v = find_rules(ink, dpi)
        strokes, _ = strike._strike_strokes(ink, rules_v, dpi)
        boxes = [(list(map(int, r)), state) for r, state, _ in tick_boxes(ink, dpi)]
        out[name] = {"skew": angle, "page": _digest(grey), "ink": _digest(ink), "rules": _digest(rules_h) + _digest(rules_v),
                     "strokes": [list(map(float, s)) for s in strokes], "boxes": boxes}
    return out


def _models() -> dict[str, Any]:
    import msp_convert

    return {name: msp_convert.read(SCANS / name).model_dump(mode="json")
            for name in ("08-ks1-visual-impairment.pdf", "11-ks1-dcd")}


def dump(path: str) -> None:
    import cv2

    report = {"opencv": cv2.__version__, "primitives": _primitives(), "own steps": _own_steps(), "models": _models()}
    Path(path).write_text(json.dumps(report), encoding="utf-8")


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        yield f"{path}#", len(node)
        for i, v in enumerate(node):
            yield from _leaves(v, f"{path}.{i}")
    else:
        yield path, node


def _differing(a: Any, b: Any) -> list[str]:
    la, lb = dict(_leaves(a)), dict(_leaves(b))
    return sorted(p for p in set(la) | set(lb) if la.get(p, "(none)") != lb.get(p, "(none)"))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        outs = [str(Path(tmp) / "this.json"), str(Path(tmp) / "other.json")]
        runs = [subprocess.Popen([py, __file__, "--dump", out], cwd=REPO) for py, out in zip((sys.executable, argv[0]), outs)]
        if any(run.wait() for run in runs):
            print("a reading failed: see above", file=sys.stderr)
            return 1
        this, other = (json.loads(Path(o).read_text(encoding="utf-8")) for o in outs)
    print(f"OpenCV {this['opencv']} (this python) against OpenCV {other['opencv']} ({argv[0]})")
    for name, digest in this["primitives"].items():
        print(f"  {name:24} {'same' if digest == other['primitives'][name] else 'DIFFERENT'}")
    same = True
    for part in ("own steps", "models"):
        for name in this[part]:
            diff = _differing(this[part][name], other[part].get(name))
            same = same and not diff
            print(f"  {part}: {name}: {'same' if not diff else f'{len(diff)} value(s) differ: ' + ', '.join(diff[:SHOWN])}")
    return 0 if same else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dump"]:
        dump(sys.argv[2])
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
