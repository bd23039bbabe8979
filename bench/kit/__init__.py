"""The test kit: the one place that renders text images, builds Lambda events, writes hostile
sample files and starts the local server.

Used by the tests, `events/make_events.py`, the bench cases, the evaluation set and the load
test, so they all draw with the same fonts (Debian packages only) and speak to the service the
same way. The kit may import the engine's base modules and the handler (events); it never
imports `tests/` (tests import the kit, not the other way round).

- `fonts`: the font table (file, Debian package, face), loading, glyph coverage;
- `render`: plain text lines and pages as Pillow images, and encoding them to bytes;
- `canvas`: text as alpha masks composited onto float canvases (the evaluation set's scenes);
- `events`: the sample events in `events/` and variants of them, calling a Mangum handler;
- `bad_inputs` and `raw_pdfs`: hostile and odd files with the answer the service owes each;
- `local_server`: `uvicorn handler.local:app` on a free loopback port.
"""
