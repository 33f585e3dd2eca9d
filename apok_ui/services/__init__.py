"""The only code that changes data: one function per action, each checking workflow, role, kecamatan and version,
writing its Riwayat row in the same transaction, then publishing the live event."""

from apok_ui.services.administrasi import create_petugas
from apok_ui.services.common import Actor
from apok_ui.services.errors import Forbidden, Invalid, NotFound, ServiceError, Stale, Terganggu
from apok_ui.services.keputusan import approve, hand_over, record_print, reject, revise
from apok_ui.services.koreksi import correct_hand_over
from apok_ui.services.massal import Batch, HasilMassal, check_batch
from apok_ui.services.permohonan import Pendaftaran, cancel, resubmit, submit
from apok_ui.services.petugas import (
    LoginRefused,
    Masuk,
    authenticate,
    change_password,
    unlock_login,
)
from apok_ui.services.referensi import seed_reference

__all__ = [
    'Actor',
    'Batch',
    'Forbidden',
    'HasilMassal',
    'Invalid',
    'LoginRefused',
    'Masuk',
    'NotFound',
    'Pendaftaran',
    'ServiceError',
    'Stale',
    'Terganggu',
    'approve',
    'authenticate',
    'cancel',
    'correct_hand_over',
    'change_password',
    'check_batch',
    'create_petugas',
    'hand_over',
    'record_print',
    'reject',
    'resubmit',
    'revise',
    'seed_reference',
    'submit',
    'unlock_login',
]
