"""Why a linkage action does not happen, for the views and the command line to word."""


class LinkageNotAllowedError(Exception):
    """The user may not do this (the views answer 404, as for any forbidden action)."""


class LinkageRunRefusedError(Exception):
    """A run cannot start now; the message says why."""
