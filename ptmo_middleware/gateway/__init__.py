"""``ptmo serve``: an OpenAI-compatible privacy gateway (docs/gateway.md). Needs the
``serve`` extra (Starlette, uvicorn, prometheus_client)."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
