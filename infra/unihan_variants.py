"""Write ocr_core/recognize/variants.txt: simplified/traditional pairs from Unicode's Unihan data.

    python -m infra.unihan_variants [--cache .cache/unihan]

The pairs come from Unihan_Variants.txt (kSimplifiedVariant, kTraditionalVariant) in Debian's
`unicode-data` package, fetched with `apt-get download` at a pinned version and checked by
sha256; only pairs whose two characters are both in a recognizer dictionary under models/ are
kept, so the table stays small. Unicode's data files are under the Unicode License (permissive);
the written file says so in its header. Run it again only to move to a newer Unicode version.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import subprocess
import sys
import tarfile
from pathlib import Path

PACKAGE = "unicode-data=15.0.0-1"
ARCHIVE = "unicode-data_15.0.0-1_all.deb"
ARCHIVE_SHA256 = "5efef23bbb1c6a133ecbdd63a2cfa07159ccacf5466a49e2426101c5ecd691fc"
MEMBER = "./usr/share/unicode/Unihan_Variants.txt.bz2"
DICTIONARIES = ("ppocrv6_dict.txt", "ppocrv6_tiny_dict.txt", "ppocr_keys_v1.txt")
OUT = Path(__file__).resolve().parent.parent / "ocr_core" / "recognize" / "variants.txt"
HEADER = """\
# Simplified/traditional character pairs (simplified first), from Unicode's Unihan_Variants.txt
# (kSimplifiedVariant, kTraditionalVariant), Unicode 15.0 as shipped in Debian's unicode-data
# 15.0.0-1, limited to characters of the recognizer dictionaries. Unicode data files are
# (C) Unicode, Inc., under the Unicode License: https://www.unicode.org/license.txt
# Written by infra/unihan_variants.py; do not edit by hand.
"""


def fetch(cache: Path) -> bytes:
    path = cache / ARCHIVE
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", PACKAGE], cwd=cache, check=True, capture_output=True)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != ARCHIVE_SHA256:
        raise SystemExit(f"{ARCHIVE}: sha256 {digest} != pinned {ARCHIVE_SHA256}")
    tar_bytes = subprocess.run(
        ["dpkg-deb", "--fsys-tarfile", str(path)], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{ARCHIVE} lacks {MEMBER}")
        return bz2.decompress(member.read())


def pairs(variants: str, known: set[str]) -> list[tuple[str, str]]:
    """(simplified, traditional) pairs with both characters in `known`, sorted."""
    found: set[tuple[str, str]] = set()
    for line in variants.splitlines():
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in ("kSimplifiedVariant", "kTraditionalVariant"):
            continue
        char = chr(int(fields[0][2:], 16))
        for code in fields[2].split():
            other = chr(int(code[2:].split("<")[0], 16))
            if other == char or char not in known or other not in known:
                continue
            found.add((other, char) if fields[1] == "kSimplifiedVariant" else (char, other))
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(".cache/unihan"))
    parser.add_argument("--models", type=Path, default=Path("models"))
    args = parser.parse_args(argv)
    known: set[str] = set()
    for name in DICTIONARIES:
        known |= set((args.models / name).read_text(encoding="utf-8").split())
    table = pairs(fetch(args.cache).decode("utf-8"), known)
    OUT.write_text(HEADER + "".join(f"{s}{t}\n" for s, t in table), encoding="utf-8")
    print(f"{len(table)} pairs -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
