#!/usr/bin/env bash
# Run the test suite with the virtual microphone and speaker up (set-up is `scripts/setup.sh --test`).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k bank`.
set -euo pipefail
cd "$(dirname "$0")/.."
# One PulseAudio server per run, in a folder of its own: two runs sharing a folder (two checkouts, CI beside
# a developer) would share one virtual microphone, hear each other's test answers, and the first to finish
# would stop the server under the other ("Connection refused" from pactl and PortAudio mid-run).
export VIRTUAL_AUDIO_DIR=${VIRTUAL_AUDIO_DIR:-/tmp/mockint-virtual-audio-$$}
if bash scripts/virtual-audio.sh status 2>/dev/null; then
    # Started by someone else (e.g. `eval "$(bash scripts/virtual-audio.sh start)"` by hand): use it, and
    # leave stopping it to them.
    eval "$(bash scripts/virtual-audio.sh env)"
else
    # Start the virtual devices before Python imports sounddevice (ALSA looks for PulseAudio then).
    eval "$(bash scripts/virtual-audio.sh start)"
    trap 'bash scripts/virtual-audio.sh stop' EXIT
fi
# The audio tests fail (instead of skipping) when the devices are missing.
export MOCKINT_REQUIRE_AUDIO=1
# The report's browser tests fail (instead of skipping) when Chromium or its driver is missing.
export MOCKINT_REQUIRE_BROWSER=1
.venv/bin/python -m pytest -q "$@"
