#!/bin/sh
# Set-up, in one command, on a fresh Debian or Ubuntu machine (the README's first command):
#   sh install.sh
# 1. The Debian packages the tests and old formats need, when missing: LibreOffice (headless) to
#    read .doc/.rtf/.odt, open written documents and convert evidence; Tesseract's English and
#    orientation data to read scans (Tesseract itself comes in the tesserocr wheel, run in process:
#    the tesseract command is not needed); Chromium and its driver, for the review page's browser
#    tests (selenium drives them headless), and Node.js, which runs the page's own scripts in tests without a
#    browser; the British English word list (wbritish), which redaction uses to tell a name from a word.
#    With sudo when not root; elsewhere it says what to install.
# 2. A virtual environment in .venv with msp-convert and its test tools, at the versions locked
#    in requirements.lock (the README says how to refresh it). Then: .venv/bin/python -m pytest
set -eu
cd "$(dirname "$0")"

apt_packages="libreoffice-writer-nogui tesseract-ocr-eng tesseract-ocr-osd chromium chromium-driver nodejs wbritish"
missing=""
for package in $apt_packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: not a Debian system; install LibreOffice, Tesseract's English and orientation data (eng.traineddata, osd.traineddata), Chromium, chromedriver, Node.js and a British English word list at /usr/share/dict/british-english yourself:$missing" >&2
  else
    as_root=""
    [ "$(id -u)" -eq 0 ] || as_root="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $as_root apt-get update -qq
    $as_root apt-get install -y -qq $missing >/dev/null
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
echo "install.sh: ready; run the tests with: .venv/bin/python -m pytest"
