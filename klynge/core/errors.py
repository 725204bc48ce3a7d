"""Errors that users can cause, with a message a person understands."""


class ApplicationError(Exception):
    """A rule was broken by the input (a wrong CVR number, a bad row, a double booking).

    Pages show `message`; the API answers 4xx with it as JSON; the CLI prints it. `field`
    names the form field or column when there is one, `extra` carries details for machines.
    """

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)
