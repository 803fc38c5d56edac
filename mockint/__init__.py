"""mockint: a local, offline, voice-based mock interview coach for STAR answers."""

__version__ = "0.1.0"
__all__ = ["__version__"]
