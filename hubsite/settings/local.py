"""Development: `make run`. Debug on, a fixed throwaway secret key, e-mail to files under var/mail."""

from hubsite.env import env, env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105
