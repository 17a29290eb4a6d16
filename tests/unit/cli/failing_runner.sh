#!/bin/sh
# A model runner that fails the way run_model.mjs does: one line on stderr, exit 1 (test_model_runner.cpp).
echo "runner broke: no engine" >&2
exit 1
