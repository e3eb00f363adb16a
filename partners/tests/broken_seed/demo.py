"""A demo seeder that fails after the partners seeder ran (for test_demo's atomicity test)."""


def seed(ctx: dict) -> None:
    assert ctx["hub"].is_hub
    raise RuntimeError("this app's demo data is broken")
