from chibo.meetings.tests.conftest import cell  # noqa: F401  (the 20-member An Hòa of the meetings tests)
