"""The ``ptmo`` command line, a package of command modules sharing one application.

Adding a command: a module here (or a block in the one it belongs with),

    from .app import app, make_router

    @app.command()
    def mycommand(ctx: typer.Context, ...) -> None:
        \"\"\"One line of help.\"\"\"
        router = make_router(ctx)          # honours --config
        ...

imported below, or a group with ``app.add_typer(sub_app, name="budget")``. Import heavy
modules inside the function. A :class:`~ptmo_middleware.errors.PtmoError` raised anywhere
in a command prints ``Error: <message>`` on stderr and exits with code 2, without a
traceback. Other packages add commands through the ``ptmo_middleware.commands`` entry
point (a function ``register(app)``), as the lab does.
"""
from __future__ import annotations

import importlib.metadata

from . import audit, budget, inspect, serve  # noqa: F401  (each registers its commands)
from .app import COMMANDS_ENTRY_POINT_GROUP, app, console, err_console, make_router, print_json
from .chat import ChatSession

for _entry in importlib.metadata.entry_points(group=COMMANDS_ENTRY_POINT_GROUP):
    _entry.load()(app)

__all__ = ["app", "make_router", "console", "err_console", "print_json", "ChatSession"]
