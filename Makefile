# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB := data/impact.duckdb
PORT ?= 8501
# Listen on this computer only; `make run ADDRESS=0.0.0.0` serves a network (see README).
ADDRESS ?= 127.0.0.1

.PHONY: run test demo lint bench bench-reliability bench-simulation clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m impact demo

## make run: set up, build the demo store if there is none, list who can sign in, start the
## app on http://127.0.0.1:8501 (this computer only)
## (IMPACT_LIMIT_UPLOAD_MB=100 make run: a larger upload limit, for the importer and Streamlit)
run: $(VENV)/.installed $(DB)
	-@$(PY) -m impact users list
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) \
		--server.headless true \
		--server.maxUploadSize $$($(PY) -m impact.importing.limits upload-mb)

## make test: set up with test dependencies and run every test, browser tests included
test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest -q

## make demo: rebuild the demo store from scratch
demo: $(VENV)/.installed
	$(PY) -m impact demo --force

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

## make bench: speed and memory at trust and national scale (see BENCHMARKS.md)
bench: $(VENV)/.installed-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

## make bench-reliability: fuzzing, concurrent uploads and SIGKILL crashes, long version
bench-reliability: $(VENV)/.installed-dev
	$(PY) -m bench.reliability --fuzz 2000 --random-bytes 1000 --rounds 10 --uploads 8 --kills 50 --rows 50000 --seed 1
	$(PY) -m bench.report

## make bench-simulation: coverage, width, pre-trend size and power of the impact estimate at 3, 7 and 20 schools (about 40 min)
bench-simulation: $(VENV)/.installed-dev
	$(PY) -m bench.simulate_did --panels 200 --draws 499
	$(PY) -m bench.report
