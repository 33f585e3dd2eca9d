"""The Camat's monitoring: the kecamatan's work per stage and layanan, overdue and output, following live."""

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from apok_ui import db, services
from apok_ui.queries.monitoring import monitoring
from models import Pengurusan, Peran
from models.waktu import now
from tests.conftest import KEC_B, kecamatan_id, submit
from tests.test_workspace import login
from tests.waiting import seen, unseen, until


def number(user: User, marker: str) -> str:
    return next(iter(user.find(marker=marker).elements)).text


async def test_the_camat_watches_counts_per_stage_and_they_follow_an_approval_live(user: User, app_people):
    first = submit(seq=1).pengurusan_id
    submit(seq=2)
    await login(user, app_people.of(Peran.CAMAT).nip)
    user.find(marker='monitoring').click()
    await seen(user, 'Monitoring Kecamatan Batam Kota')
    assert (number(user, 'tahap-admin'), number(user, 'tahap-kasi')) == ('2', '0')
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first, version=1)
    await until(lambda: number(user, 'tahap-kasi') == '1')
    assert (number(user, 'tahap-admin'), number(user, 'tahap-kasi')) == ('1', '1')


async def test_an_admin_is_sent_back_to_the_workspace(user: User, app_people):
    await login(user, app_people.of(Peran.ADMIN).nip)
    await user.open('/admin/monitoring')
    await seen(user, 'Data Baru')
    await unseen(user, 'Monitoring Kecamatan')


def test_overdue_output_and_medians_are_counted_for_the_kecamatan_only(people):
    old = submit(seq=1).pengurusan_id
    submit(KEC_B, seq=2)
    chain = (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
    for version, peran in enumerate(chain, start=1):
        services.approve(actor=people.of(peran).actor, pengurusan_id=old, version=version)
    submit(seq=3)
    picture = monitoring(kecamatan_id('Batam Kota'), at=now() + timedelta(days=30))
    assert picture.per_stage == {'admin': 1, 'kasi': 0, 'sekcam': 0, 'camat': 0}
    assert picture.overdue == 1  # thirty days later the waiting one is past its SLA
    assert monitoring(kecamatan_id('Batam Kota')).selesai_today == 1
    assert all(monitoring(kecamatan_id('Batam Kota')).median_hours[r] is not None for r in picture.per_stage)


def test_today_and_this_week_begin_at_midnight_wib_not_utc(people):
    at = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Thursday 26 November, 01:00 WIB
    finished = {
        datetime(2026, 11, 25, 17, 30, tzinfo=UTC): 'Thursday 00:30 WIB: today',
        datetime(2026, 11, 25, 16, 30, tzinfo=UTC): 'Wednesday 23:30 WIB: this week',
        datetime(2026, 11, 22, 17, 30, tzinfo=UTC): 'Monday 00:30 WIB: this week',
        datetime(2026, 11, 22, 16, 30, tzinfo=UTC): 'Sunday 23:30 WIB: last week',
    }
    ids = [submit(seq=seq).pengurusan_id for seq in range(1, len(finished) + 1)]
    with db.get().write() as session:
        for pengurusan_id, selesai_at in zip(ids, finished, strict=True):
            session.get(Pengurusan, pengurusan_id).selesai_at = selesai_at
    picture = monitoring(kecamatan_id('Batam Kota'), at=at)
    assert (picture.selesai_today, picture.selesai_week) == (1, 3)
