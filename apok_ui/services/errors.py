"""The services' refusals, which live in apok_ui/errors.py so reads can raise them too; re-exported here."""

from apok_ui.errors import STALE_MESSAGE, Forbidden, Invalid, NotFound, ServiceError, Stale, Terganggu

__all__ = ['STALE_MESSAGE', 'Forbidden', 'Invalid', 'NotFound', 'ServiceError', 'Stale', 'Terganggu']
