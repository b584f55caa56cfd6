class IngestError(ValueError):
    """A page that cannot be imported; the message names the file and the problem."""

    def __init__(self, filename: str, reason: str):
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}")
