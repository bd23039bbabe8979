"""Test helpers of the tests alone: moto-backed S3, PDFs written by PDFium, a PDF thread stress run.

Rendering images, sample events and hostile files are in the kit (`bench/kit/`), shared with
the bench and the evaluation."""
