"""The ground of the project: what every app shares. It imports no app (tests/test_layers.py)."""
