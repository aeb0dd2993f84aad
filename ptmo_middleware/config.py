"""Configuration: defaults, then a TOML file, then ``PTMO_*`` environment variables, then
keyword arguments. Invalid values raise :class:`ConfigError` naming the field."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import EnvSettingsSource, NoDecode, SettingsError

from .errors import ConfigError
from .fetchable import CONTEXTS, FetchContext
from .types import SensitivityLevel

#: Entity type -> level. Secrets and government IDs are PRIVATE; identifying but
#: maskable facts are SEMI_SENSITIVE. Unknown types default to SEMI_SENSITIVE.
DEFAULT_LEVEL_POLICY: dict[str, str] = {
    # secrets
    "PASSWORD": "private", "API_KEY": "private", "SECRET_TOKEN": "private",
    "PRIVATE_KEY": "private", "JWT": "private", "HIGH_ENTROPY_SECRET": "private",
    "CONNECTION_STRING": "private",
    # financial and government identifiers
    "CREDIT_CARD": "private", "IBAN_CODE": "private", "US_SSN": "private",
    "US_PASSPORT": "private", "US_DRIVER_LICENSE": "private", "US_BANK_NUMBER": "private",
    "US_ITIN": "private", "UK_NHS": "private", "MEDICAL_LICENSE": "private",
    "CRYPTO": "private", "GOV_ID": "private",
    "MEDICAL_RECORD_NUMBER": "private",
    # identifying, maskable
    "PERSON": "semi-sensitive", "EMAIL_ADDRESS": "semi-sensitive",
    "PHONE_NUMBER": "semi-sensitive", "LOCATION": "semi-sensitive",
    "ADDRESS": "semi-sensitive", "ORGANIZATION": "semi-sensitive",
    "DATE_OF_BIRTH": "semi-sensitive", "IP_ADDRESS": "semi-sensitive",
    "URL": "semi-sensitive", "USERNAME": "semi-sensitive", "FILE_PATH": "semi-sensitive",
    "NRP": "semi-sensitive", "PROPER_NOUN": "semi-sensitive", "KNOWN_VALUE": "semi-sensitive",
    # sensitive topics (sentence level, not maskable)
    "HEALTH": "semi-sensitive", "FINANCE": "semi-sensitive", "LEGAL": "semi-sensitive",
    "EMPLOYMENT": "semi-sensitive", "IMMIGRATION": "semi-sensitive",
    "RELATIONSHIPS": "semi-sensitive", "LOCATION_ROUTINE": "semi-sensitive",
}

#: Every environment variable ptmo-middleware reads besides the settings' own
#: (``PTMO_<FIELD>``, ``PTMO_<TABLE>__<FIELD>``); tests/test_config.py checks the code
#: reads no other.
ENVIRONMENT: dict[str, str] = {
    "PTMO_CONFIG": "the TOML file Settings.load reads when no path is given",
    "PTMO_API_KEYS": "gateway API keys as key:principal pairs, comma-separated",
    "PTMO_VAULT_KEY": "the key that encrypts values in shared vault stores (SQLite, Redis)",
    "PTMO_DATA_HOME": "where the audit log and the SQLite budget and vault stores live",
    "PTMO_CACHE_DIR": "where the embedded model's converted weights are cached",
    "PTMO_ADAPTER_DIR": "the LoRA adapter store",
    "PTMO_TORCH_THREADS": "torch threads of the embedded model",
    "PTMO_EMBEDDED_PRECISION": "the embedded model's weight precision",
    "PTMO_EMBEDDED_GENERAL_ADAPTER": "on: merge the shipped General adapter into the embedded model (off by default)",
    "PTMO_RL_POLICY": "a trained RL router policy to use instead of the shipped one",
    "PTMO_LOAD_PLUGINS": "which installed plugins to load (comma-separated; none in tests unless set)",
    "PTMO_TRACE_PLUGINS": "log every plugin hook call",
    "PTMO_DATA_DIR": "the folder of the data sets (lab only)",
    "GROQ_API_KEY": "the Groq API key (the groq SDK's own variable)",
    "GROQ_BASE_URL": "another Groq endpoint (the groq SDK's own variable)",
    "OLLAMA_HOST": "the Ollama server (the ollama client's own variable)",
}

Action = Literal["cloud", "masked", "local"]


class BudgetSettings(BaseModel):
    """Per-principal privacy-risk budget (see :mod:`ptmo_middleware.budget`)."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    epsilon: float = Field(1.0, gt=0)
    window: Literal["conversation", "day", "none"] = "day"
    store: str = "sqlite"
    when_exhausted: Literal["local", "mask"] = "local"


class VaultSettings(BaseModel):
    """Where conversations' mask maps live (see :mod:`ptmo_middleware.vaultstore`)."""

    model_config = ConfigDict(extra="forbid")
    store: str = "memory"
    """``memory`` (this process only), ``sqlite`` / ``sqlite:///path``, or
    ``redis://host:port/db`` (shared by replicas). A persistent store keeps values
    encrypted with ``$PTMO_VAULT_KEY``."""
    ttl_s: float = Field(86_400.0, gt=0)
    """A conversation's mask map is forgotten this long after its last use (persistent stores)."""


class GatewaySettings(BaseModel):
    """The OpenAI-compatible HTTP gateway (``ptmo serve``, see docs/gateway.md)."""

    model_config = ConfigDict(extra="forbid")
    api_keys: dict[str, str] = Field(default_factory=dict, repr=False)
    """API key -> principal (each principal has its own privacy budget); empty: no key
    is asked for and every request is ``Settings.principal``'s. ``$PTMO_API_KEYS``:
    ``key1:alice,key2:bob``."""
    max_body_bytes: int = Field(4 * 1024 * 1024, gt=0)
    """Larger request bodies are refused with 413 before they are read in full."""
    refuse_exhausted: bool = True
    """Refuse (429) a request whose principal has no privacy budget left at all, instead
    of answering it on the device."""


class Settings(BaseModel):
    """All knobs of a :class:`~ptmo_middleware.router.PrivacyRouter`."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    local: str = "embedded"
    cloud: str = "groq:llama-3.3-70b-versatile"
    policy: str = "threshold"
    decomposer: str = "auto"
    aggregator: str = "restore"
    classifiers: Annotated[list[str] | None, NoDecode] = None
    """Classifier plugins to run, by name; ``None`` runs every registered one whose
    dependencies are installed (the plan lists which ran)."""
    level_policy: dict[str, SensitivityLevel] = Field(
        default_factory=lambda: {k: SensitivityLevel.parse(v) for k, v in DEFAULT_LEVEL_POLICY.items()})
    thresholds: dict[SensitivityLevel, Action] = Field(default_factory=lambda: {
        SensitivityLevel.PUBLIC: "cloud",
        SensitivityLevel.SEMI_SENSITIVE: "masked",
        SensitivityLevel.PRIVATE: "masked",
    })
    """Threshold policy: what to do with a part of each level (the shield still keeps
    unmaskable PRIVATE parts local, whatever this says)."""
    classifier_timeout_s: float = Field(5.0, gt=0)
    ner_model: str = "en_core_web_sm"
    ner_gate: bool = True
    """Run the ``ner`` classifier's spaCy model only on windows around capitalised words
    (see :mod:`ptmo_middleware.plugins.classifiers.ner`); ``False`` runs it on every character."""
    ner_gate_budget: int | None = Field(None, gt=0)
    """With the gate: the most characters per text spaCy reads (the windows densest in
    capitalised words first); ``None`` reads every window. A cap bounds the p95 latency of
    long prompts and leaves names past it unread."""
    unit_judge: bool = True
    """Judge each name found by ``ner`` and ``ml`` in its context and keep only those about
    the user and the people around them (see :mod:`ptmo_middleware.plugins.classifiers.unit_judge`);
    ``False`` masks every name they find, "France" in a public question included."""
    max_prompt_chars: int = Field(2_000_000, gt=0)
    cloud_fallback: Literal["local", "error"] = "local"
    """When the cloud fails after retries: answer locally (flagged) or raise."""
    backend_timeout_s: float = Field(120.0, gt=0)
    """Per-call timeout of the model backends (a call's ``timeout`` option overrides it)."""
    cloud_max_retries: int = Field(3, ge=0)
    """Retries of a cloud call on 408/409/429/5xx/connection errors, with backoff (honours
    retry-after); every attempt is budgeted and audited by the router's egress."""
    request_timeout_s: float = Field(600.0, gt=0)
    """The longest a whole request (planning, both models, aggregation) may take before
    it fails with :class:`~ptmo_middleware.errors.RequestTimeout`."""
    restore_withheld_in: list[FetchContext] = Field(default_factory=lambda: list(CONTEXTS))
    """Where placeholders in an answer are left masked because a client would fetch
    rather than show them (see :mod:`ptmo_middleware.fetchable`): ``[]`` restores
    everywhere."""
    groq_api_key: SecretStr | None = None
    """Groq API key; ``None`` reads ``GROQ_API_KEY``. Never logged nor shown."""
    principal: str = "default"
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    vault: VaultSettings = Field(default_factory=VaultSettings)
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    audit_log: str | None = None
    """Audit log file (JSON lines, see :mod:`ptmo_middleware.audit`): ``None`` is off,
    ``"default"`` the user data directory, anything else a path."""
    adapter_store: str | None = None
    """Adapter store for per-principal LoRA adapters on a local backend that switches
    adapters per call (``embedded``): ``None`` is off, ``"default"`` is
    ``$PTMO_ADAPTER_DIR`` or the user data directory's ``adapters``, anything else a path.
    Each request's principal resolves Personal > Group > General (or the store's weighted
    combination); see docs/personalization.md."""
    adapter_groups: dict[str, list[str]] = Field(default_factory=dict)
    """Principal -> its groups, in order of preference, for Group adapters; the entry
    ``"*"`` applies to principals not listed."""

    @field_validator("classifiers", mode="before")
    @classmethod
    def _classifier_names(cls, v: Any) -> Any:
        if isinstance(v, str):  # from the environment: "rules,ner,ml"
            return [c.strip() for c in v.split(",") if c.strip()]
        return v

    @field_validator("level_policy", mode="before")
    @classmethod
    def _levels(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            raise ValueError("level_policy must be a table of ENTITY_TYPE = level")
        merged = dict(DEFAULT_LEVEL_POLICY)
        merged.update({str(k).upper(): val for k, val in v.items()})
        return {k: SensitivityLevel.parse(val) for k, val in merged.items()}

    @field_validator("thresholds", mode="before")
    @classmethod
    def _thresholds(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            raise ValueError("thresholds must be a table of level = action")
        out = {SensitivityLevel.PUBLIC: "cloud", SensitivityLevel.SEMI_SENSITIVE: "masked",
               SensitivityLevel.PRIVATE: "masked"}
        out.update({SensitivityLevel.parse(k): val for k, val in v.items()})
        for level, action in out.items():
            if action not in ("cloud", "masked", "local"):
                raise ValueError(f"action for {level.name.lower().replace('_', '-')} must be "
                                 f"'cloud', 'masked' or 'local', not {action!r}")
        return out

    def level_of(self, entity_type: str) -> SensitivityLevel:
        """The configured level of an entity type (SEMI_SENSITIVE when unknown)."""
        return self.level_policy.get(entity_type.upper(), SensitivityLevel.SEMI_SENSITIVE)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, **overrides: Any) -> "Settings":
        """Build settings from defaults < TOML file (``path`` or ``$PTMO_CONFIG``) <
        ``PTMO_<FIELD>`` environment variables < ``overrides``."""
        data: dict[str, Any] = {}
        path = path or os.environ.get("PTMO_CONFIG")
        if path:
            data.update(_read_toml(Path(path)))
        for key, value in _from_env().items():  # a table's env fields join the file's
            both = isinstance(value, dict) and isinstance(data.get(key), dict)
            data[key] = {**data[key], **value} if both else value
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"invalid ptmo configuration: {problems}") from None


def _from_env() -> dict[str, Any]:
    """The settings the environment gives: ``PTMO_<FIELD>`` for every field,
    ``PTMO_<TABLE>__<FIELD>`` inside a table (``PTMO_BUDGET__EPSILON=0.5``), tables and
    lists as JSON (``classifiers`` also as ``rules,ner``), read by pydantic-settings from
    the fields themselves; and ``PTMO_API_KEYS`` as ``key:principal`` pairs."""
    source = EnvSettingsSource(Settings, env_prefix="PTMO_", env_nested_delimiter="__", case_sensitive=False,
                               env_ignore_empty=True)
    try:
        out: dict[str, Any] = source()
    except SettingsError as exc:
        raise ConfigError(f"invalid ptmo configuration in the environment: {exc}") from None
    keys = os.environ.get("PTMO_API_KEYS")
    if keys:
        out["gateway"] = {**out.get("gateway", {}), "api_keys": _api_keys(keys)}
    return out


def _api_keys(spec: str) -> dict[str, str]:
    """``key1:alice,key2:bob`` -> ``{"key1": "alice", "key2": "bob"}``."""
    out: dict[str, str] = {}
    for item in filter(None, (i.strip() for i in spec.split(","))):
        key, sep, principal = item.rpartition(":")
        if not sep or not key or not principal:
            raise ConfigError("PTMO_API_KEYS must be key:principal pairs separated by commas")
        out[key] = principal
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    # Accept either a bare file or one whose settings sit under [ptmo].
    return raw.get("ptmo", raw)
