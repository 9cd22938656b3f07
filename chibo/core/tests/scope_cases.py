"""Who may use core's pages (the scope matrix, chibo/testing/scope_matrix.py)."""

from chibo.testing.scope_matrix import EVERYONE, SIGNED_IN, ScopeCase

CASES = [
    ScopeCase("core:home", allowed=SIGNED_IN),
    ScopeCase("core:healthz", allowed=EVERYONE),
]
