"""Several threads decoding PDFs at once, run as its own process by `tests/test_concurrency.py`.

PDFium is not thread-safe: without `ocr_core.input.pdf`'s lock this process aborts or segfaults
(4 threads x 30 rounds crashed 8 runs of 8), which would take the test runner down with it,
so the test runs it apart and reads its exit code. Each decoded page must also equal the
page the same file gave alone.

    python -m tests.helpers.pdf_threads [ROUNDS]
"""

from __future__ import annotations

import sys
import threading

from ocr_core.input.decode import decode
from ocr_core.input.page import Page
from tests.helpers.pdfs import scanned_pdf, text_pdf

THREADS = 4


def fingerprint(pages: list[Page]) -> list[tuple[object, ...]]:
    return [(page.number, page.image.shape, int(page.image.sum()), page.text_lines) for page in pages]


def main(rounds: int) -> int:
    documents = [
        text_pdf([[("Invoice 2024 total 19.99", 40, 200, 14), ("Second line", 40, 150, 12)]] * 3),
        scanned_pdf(2),
    ]
    alone = [fingerprint(decode(data, text_layer=True)) for data in documents]
    failures: list[str] = []

    def work(offset: int) -> None:
        for round_number in range(rounds):
            index = (round_number + offset) % len(documents)
            try:
                if fingerprint(decode(documents[index], text_layer=True)) != alone[index]:
                    failures.append(f"document {index} decoded differently under load")
            except Exception as error:  # reported, not raised: the thread must not die silently
                failures.append(repr(error))

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{THREADS} threads x {rounds} rounds: {len(failures)} failures", *failures[:5], sep="\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 40))
