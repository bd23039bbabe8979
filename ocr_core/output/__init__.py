"""Output stage: the result types clients see, warnings, and exports (text, Markdown, JSONL, PDF).

Owns: `OcrResult` and its JSON, the warning checks, and every export format. May import the
stages below it (a searchable PDF needs a page's pixels) and the base modules.
"""
