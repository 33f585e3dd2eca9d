"""What APOK says when it refuses (a service's action, or a read the person may not make): one Indonesian message
a person can act on."""


class ServiceError(Exception):
    """A refused action; str(error) is the message for the person."""


class NotFound(ServiceError):
    """The application, officer or record does not exist (or is not the caller's to see)."""


class Forbidden(ServiceError):
    """This person may not do this: wrong role, wrong kecamatan, wrong state, or a session that ended."""


class Stale(ServiceError):
    """Someone else changed the application since the officer looked at it."""


class Invalid(ServiceError):
    """Input that does not fit; `errors` maps field names to messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


STALE_MESSAGE = 'Pengurusan ini sudah diproses petugas lain. Data terbaru sudah ditampilkan.'


TERGANGGU = 'Basis data sedang tidak dapat dihubungi; belum ada yang berubah. Silakan coba lagi sebentar.'


class Terganggu(ServiceError):
    """The database is out of reach (refused, dropped, frozen past the pool's wait, SQLite locked): nothing was
    changed, and the same action may simply be tried again."""
