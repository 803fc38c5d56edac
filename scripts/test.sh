#!/usr/bin/env bash
# Run the test suite with the virtual microphone and speaker up (set-up is `scripts/setup.sh --test`).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k bank`.
set -euo pipefail
cd "$(dirname "$0")/.."
export VIRTUAL_AUDIO_DIR=${VIRTUAL_AUDIO_DIR:-/tmp/mockint-virtual-audio}
# Start the virtual devices before Python imports sounddevice (ALSA looks for PulseAudio then).
eval "$(bash scripts/virtual-audio.sh start)"
trap 'bash scripts/virtual-audio.sh stop' EXIT
# The audio tests fail (instead of skipping) when the devices are missing.
export MOCKINT_REQUIRE_AUDIO=1
# The report's browser tests fail (instead of skipping) when Chromium or its driver is missing.
export MOCKINT_REQUIRE_BROWSER=1
.venv/bin/python -m pytest -q "$@"
