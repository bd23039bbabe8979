"""The API's Lambda entry point: `handler` (Mangum around the FastAPI app of `handler.app`).

The models start loading on the second vCPU first (`handler.preload`), while FastAPI imports and
the app is built: a cold start's first request finds them ready.
"""

from __future__ import annotations

from handler import preload  # isort: skip

preload.start()

# isort: split
from mangum import Mangum

from handler.app import create_app

app = create_app()
handler = Mangum(app, lifespan="off")
