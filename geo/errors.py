"""Error types raised by geo.

Every error the user can cause or fix derives from :class:`GeoError`. The
command line prints ``str(error)`` as a single line and exits non-zero, so each
message names the file, line or field at fault and what is wrong with it.
"""


class GeoError(Exception):
    """Base class of every error geo reports to the user."""


class DataFetchError(GeoError):
    """A public data file could not be downloaded, found or verified."""


class InputError(GeoError):
    """A user-supplied value or file is malformed (bad date, bad CSV, ...)."""


class GeocodeError(GeoError):
    """A place name could not be resolved to a district or province."""


class ValidationError(GeoError):
    """One or more records failed validation.

    Parameters
    ----------
    problems : list of str
        Every problem found, each formatted ``file:line: field: problem``.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        count = len(self.problems)
        first = self.problems[0] if self.problems else "no problems"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"{first}{more}")


class AssetError(GeoError):
    """A JavaScript or CSS library for the offline map could not be provided."""
