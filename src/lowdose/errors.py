"""User-facing errors.

Every error a person can cause with bad input derives from :class:`LowdoseError`. The command
line shows these without a traceback and exits with status 2; the web layer shows the message
next to the field it names. Anything else that escapes is a bug.
"""


class LowdoseError(Exception):
    """An input or request that lowdose refuses, with a message a person can act on.

    ``field`` names the input at fault (a form field, a JSON key, a CLI option) when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
