"""Errors a user is meant to read: the CLI prints their message as one line and exits 1."""


class UserError(Exception):
    """A problem with the input or the environment that the user can fix."""


class UnknownSeasonError(UserError):
    pass


class DateOutsideSeasonsError(UserError):
    pass


class InvalidDateRangeError(UserError):
    pass


class WarehouseError(UserError):
    """The warehouse is missing, locked, down, or refused a statement."""
