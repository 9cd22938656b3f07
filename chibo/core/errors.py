class ChiboError(Exception):
    """A business rule refused an action. The message is for the user (Vietnamese), shown where it happened.

    `field` names the form field it concerns, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
