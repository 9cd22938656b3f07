"""Demo data from the source article (`load_demo`) and a synthetic tree for scale (`seed_scale`).

An app only for its management commands: it has no models, only builders that go through the services of
the other apps. All demo code lives here (no app imports it); each area's step is its own module
(`follow_up.py`: tasks, criticism and commitments) called from one line in `builder.py`.
"""
