"""The cell of the task tests (chibo/tasks/tests/conftest.py): An Hòa with strengths, an exempt member,
one off the roll, and a member of Bình Hòa."""

from chibo.tasks.tests.conftest import cell

__all__ = ["cell"]
