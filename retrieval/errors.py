"""Errors of the retrieval package; their messages say what to do."""


class RetrievalError(Exception):
    """Base class: the message is meant to be shown as it is."""


class CorpusError(RetrievalError):
    """The corpus files or the manifest are missing or inconsistent."""


class IndexError_(RetrievalError):
    """The search index cannot be opened or built."""
