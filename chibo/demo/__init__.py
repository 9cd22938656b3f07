"""Demo data from the source article (`load_demo`) and a synthetic tree for scale (`seed_scale`).

Not a Django app: it has no models, only builders that go through the services of the other apps.
"""
