# Etude: the two commands that matter on a fresh Debian bookworm machine.
#   make run    installs what is missing, builds the web app, serves it on http://127.0.0.1:8080
#   make test   installs what is missing, builds native and web, runs every test
SHELL := /bin/bash
export NODE_PATH := /usr/share/nodejs
export EMSDK_PYTHON := /usr/bin/python3
PORT ?= 8080

.PHONY: run test setup native web unit model-tests bench-tests e2e bench models clean

setup:
	@scripts/setup.sh

native: setup
	@cmake --preset native >/dev/null
	cmake --build --preset native

web: setup
	@cmake --preset web >/dev/null
	cmake --build --preset web

run: web
	node scripts/serve.mjs build/web/site --port $(PORT)

# Every test, the hour-long CLI file too (about 40 s; a bare `ctest` skips it).
unit: native
	ETUDE_LONG_TESTS=1 ctest --preset native

# Golden checks and short smoke trainings of every model (the chord smoke run needs the native CLI).
model-tests: native
	ETUDE_CLI=build/native/src/cli/etude .venv/bin/python -m unittest discover -s tests/models -t .

# The accuracy benchmark's scoring (bench/accuracy/run_benchmark.py) on known answers: no audio, no build.
bench-tests: setup
	.venv/bin/python -m unittest discover -s tests/bench -t .

e2e: web
	node --test --test-concurrency=1 --test-reporter=spec tests/e2e/*.test.mjs

test: unit model-tests bench-tests e2e

# Retrains every model from scratch on the CPU and rewrites models/*.onnx, cards and reports
# (about 80 minutes on 2 cores: chord classifier about 35, melody GAN about 40). CI does not run this; it runs the smoke trainings and golden checks
# in `make model-tests`.
models: native
	.venv/bin/python models/chord_templates/make_model.py --golden
	.venv/bin/python models/chords/make_dataset.py --etude build/native/src/cli/etude
	.venv/bin/python models/chords/train.py
	.venv/bin/python models/chords/make_dataset.py --etude build/native/src/cli/etude --seed 7 --per-chord 6 --none 96 --out build/models/data/chords-calib
	.venv/bin/python models/chords/calibrate.py
	.venv/bin/python models/melody/make_dataset.py
	.venv/bin/python models/melody/train.py
	.venv/bin/python models/melody/export.py
	.venv/bin/python models/melody/evaluate.py
	.venv/bin/python models/melody/write_card.py

# Benchmarks (not tests): native DSP speed vs aubio, wasm cost per quantum (Node, then inside Chromium's
# AudioWorklet), browser budget.
bench: native web
	cmake --build --preset native --target etude_dsp_bench
	build/native/bench/etude_dsp_bench --benchmark_min_time=1
	bench/wasm_speed.sh build/native
	node bench/browser/worklet_cost.mjs
	node bench/browser/web_budget.mjs

clean:
	rm -rf build
