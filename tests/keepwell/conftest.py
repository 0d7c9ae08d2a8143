"""The web fixtures (an in-process app on a manual clock) for the keeping-well journeys."""

from tests.web.conftest import app, client  # noqa: F401
