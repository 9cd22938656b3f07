"""What tests share, above every app (nothing in chibo's apps imports it): `factories` (the factories and the
`world` fixture's personas), `scope_matrix` (the cases every app's `tests/scope_cases.py` lists) and
`browser` (Chromium through Playwright). The fixtures themselves are in the root conftest.py."""
