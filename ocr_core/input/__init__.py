"""Input stage: uploaded bytes -> decoded pages (RGB pixels, and a PDF page's own text layer).

Owns: format sniffing, image decoding, PDF rendering and text layers, page selection, and the
byte/pixel/page limits checked before any decoding. PDFium runs only in the PDF worker process
(`pdf_worker`, driven by `pdf_process`), under its own memory and time limits. May import only
the base modules (`errors`, `limits`, `imaging`, `geometry`, `lines`, `script`).
"""
