# Etude: the two commands that matter on a fresh Debian bookworm machine.
#   make run    installs what is missing, builds the web app, serves it on http://127.0.0.1:8080
#   make test   installs what is missing, builds native and web, runs every test
SHELL := /bin/bash
export NODE_PATH := /usr/share/nodejs
export EMSDK_PYTHON := /usr/bin/python3
PORT ?= 8080

.PHONY: run test setup native web unit model-tests e2e bench clean

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

unit: native
	ctest --preset native

model-tests: setup
	.venv/bin/python -m unittest discover -s tests/models -t .

e2e: web
	node --test --test-concurrency=1 --test-reporter=spec tests/e2e/*.test.mjs

test: unit model-tests e2e

clean:
	rm -rf build
