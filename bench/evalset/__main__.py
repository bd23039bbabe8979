"""`python -m bench.evalset OUT_DIR ...`: render the evaluation set (see `generate.main`)."""

from __future__ import annotations

import sys

from bench.evalset.generate import main

sys.exit(main())
