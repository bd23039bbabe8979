"""Thin AWS adapters around `ocr_core`: the HTTP API (FastAPI + Mangum) and the S3 upload trigger.

Nothing here touches pixels; image work belongs to the engine. This layer validates requests,
calls the engine, shapes responses and maps the engine's typed errors to HTTP statuses.
"""
