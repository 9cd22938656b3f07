"""Who may read change history, the access log and their own data (the scope matrix, chibo/testing/scope_matrix.py)."""

from chibo.testing.scope_matrix import ANHOA_EDITORS, SIGNED_IN, ScopeCase

CASES = [
    # A member's change history and readers: the cell committee and above (they carry the sensitive notes).
    ScopeCase("audit:member_history", allowed=ANHOA_EDITORS, args=lambda w: {"pk": w.member_of_anhoa.pk}),
    ScopeCase("audit:member_views", allowed=ANHOA_EDITORS, args=lambda w: {"pk": w.member_of_anhoa.pk}),
    # The access log: administrators, for their subtree.
    ScopeCase("audit:access_log", allowed=frozenset({"admin"})),
    # One's own data: everyone signed in, and there is nobody else's to ask for.
    ScopeCase("audit:privacy", allowed=SIGNED_IN),
    ScopeCase("audit:my_data", allowed=SIGNED_IN),
    ScopeCase("audit:my_data_xlsx", allowed=SIGNED_IN),
]
