"""Where mockint keeps things: model cache, recordings, question bank. Reads the environment only.

MOCKINT_HOME        per-user data; default ~/.local/share/mockint on Linux, ~/Library/Application Support/mockint
                    on macOS, %LOCALAPPDATA%\\mockint on Windows (platforms.user_data_dir)
MOCKINT_MODEL_CACHE where the bundled speech model is assembled; default $MOCKINT_HOME/models (on Windows, a
                    plain-ASCII folder when that path is not: platforms.ascii_model_cache)
MOCKINT_RECORDINGS  saved sessions; default ./recordings
MOCKINT_BANK        question folder; default the prompts/ folder shipped beside the package
"""

from __future__ import annotations

import os
from pathlib import Path

from mockint import platforms

BUNDLED_BANK = Path(__file__).resolve().parent.parent / "prompts"


def home_dir() -> Path:
    env = os.environ.get("MOCKINT_HOME")
    if env:
        return Path(env).expanduser()
    return platforms.user_data_dir()


def model_cache_dir() -> Path:
    env = os.environ.get("MOCKINT_MODEL_CACHE")
    return Path(env).expanduser() if env else platforms.ascii_model_cache(home_dir() / "models")


def recordings_dir() -> Path:
    env = os.environ.get("MOCKINT_RECORDINGS")
    return Path(env).expanduser() if env else Path("recordings")


def bank_dir() -> Path:
    env = os.environ.get("MOCKINT_BANK")
    return Path(env).expanduser() if env else BUNDLED_BANK
