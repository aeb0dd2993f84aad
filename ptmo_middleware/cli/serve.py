"""``ptmo serve``: the OpenAI-compatible gateway (docs/gateway.md)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import PtmoError
from .app import CliState, app


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes (more than 1 needs a shared "
                                "vault store: sqlite or redis)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (else the global --config, "
                                          "else $PTMO_CONFIG)."),
    log_level: str = typer.Option("info", "--log-level", help="debug, info, warning or error."),
) -> None:
    """Serve OpenAI's Chat Completions API in front of the router (docs/gateway.md)."""
    import copy
    import os

    try:
        import uvicorn
        from uvicorn.config import LOGGING_CONFIG

        from ..gateway import create_app
    except ImportError as exc:
        raise PtmoError(f"ptmo serve needs the serve extra: pip install 'ptmo-middleware[serve]' ({exc})") from None
    from ..config import Settings
    from ..errors import ConfigError
    from ..router import PrivacyRouter

    state = ctx.obj if isinstance(ctx.obj, CliState) else CliState()
    path = config or state.config
    if path is not None:
        os.environ["PTMO_CONFIG"] = str(path)  # worker processes load the same file
    settings = Settings.load(path)
    if workers > 1 and settings.vault.store == "memory":
        raise ConfigError("--workers > 1 needs a vault store the workers share: set vault.store (or "
                          "PTMO_VAULT__STORE) to sqlite or redis://..., and PTMO_VAULT_KEY")
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["ptmo_middleware"] = {"handlers": ["default"], "level": log_level.upper()}
    common: dict[str, Any] = dict(host=host, port=port, log_level=log_level, log_config=log_config,
                                  access_log=False, timeout_graceful_shutdown=30)
    if workers == 1:
        uvicorn.run(create_app(PrivacyRouter(settings)), **common)
    else:
        uvicorn.run("ptmo_middleware.gateway:create_app", factory=True, workers=workers, **common)
