"""Held meetings with someone attending from above, made directly (the meetings app's own tests cover how
they are held); and the cadres the ward assigns."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from chibo.accounts.models import Role, User
from chibo.meetings.models import Guest, Meeting
from chibo.meetings.tests.conftest import cell  # noqa: F401 - the 20-member An Hòa of the meetings tests
from chibo.organizations.models import Organization
from chibo.rules.selectors import ruleset_for
from chibo.testing.factories import World, make_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def held(org: Organization, day: date, *, from_above: list[User] | None = None) -> Meeting:
    """A regular meeting of the cell `org` held on `day`, attended from above by `from_above`."""
    start = datetime.combine(day, time(19, 0), tzinfo=VN)
    meeting = Meeting.objects.create(
        org=org,
        kind=Meeting.Kind.REGULAR,
        period=day.replace(day=1),
        scheduled_date=day,
        scheduled_time=time(19, 0),
        ruleset=ruleset_for(org, day),
        status=Meeting.Status.CLOSED,
        started_at=start,
        ended_at=start.replace(hour=21),
    )
    for user in from_above or []:
        Guest.objects.create(meeting=meeting, name=user.get_full_name() or user.username, is_supervisor=True, user=user)
    return meeting


@pytest.fixture
def committee_member(world: World) -> User:
    """Đảng ủy viên phường Bình Thạnh: holds a role at the ward committee itself."""
    return make_user("dang_uy_vien", (Role.VIEWER, world.ward))


@pytest.fixture
def department_leader(db: None) -> User:
    """Trưởng Phòng Nội vụ thị xã: no role anywhere, named by the ward."""
    user = make_user("truong_phong")
    user.first_name = "Lê Văn Phòng"
    user.save(update_fields=["first_name"])
    return user
