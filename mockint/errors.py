"""The errors mockint reports to users as one sentence.

    MockintError          base: cli.py catches only this and prints "Error: <message>" to stderr (exit 1)
    ├── BankError         a question file is missing, unreadable or invalid
    ├── SessionError      a saved session is missing, corrupt or from a newer mockint
    ├── AudioError        an audio file cannot be read or is empty
    │   └── NoAnswerHeard a recording holds silence, noise or another language: nothing to score
    ├── DeviceError       a microphone, speaker or text-to-speech engine cannot be used
    └── ModelNotAvailable the speech model is missing, corrupt, or would need a download while offline

Every message says what failed, which thing (path, device, model, question id) and what to do next.
"""


class MockintError(Exception):
    """Base of every error that is the user's to fix."""


class BankError(MockintError):
    pass


class SessionError(MockintError):
    pass


class AudioError(MockintError):
    pass


class NoAnswerHeard(AudioError):
    pass


class DeviceError(MockintError):
    pass


class ModelNotAvailable(MockintError):
    pass
