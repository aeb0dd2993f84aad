"""Settings: defaults < TOML file < PTMO_* environment < keyword overrides; clear errors."""
from __future__ import annotations

import pytest

from ptmo_middleware import PrivacyRouter, SensitivityLevel, Settings
from ptmo_middleware.errors import ConfigError

ENV_FIELDS = ("PTMO_CONFIG", "PTMO_POLICY", "PTMO_DECOMPOSER", "PTMO_CLASSIFIERS",
              "PTMO_CLASSIFIER_TIMEOUT_S", "PTMO_LOCAL", "PTMO_CLOUD", "PTMO_MAX_PROMPT_CHARS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_FIELDS:
        monkeypatch.delenv(name, raising=False)


def write(tmp_path, body: str):
    path = tmp_path / "ptmo.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults():
    s = Settings.load()
    assert (s.policy, s.decomposer, s.classifiers) == ("threshold", "auto", None)
    assert s.level_of("PASSWORD") is SensitivityLevel.PRIVATE
    assert s.level_of("person") is SensitivityLevel.SEMI_SENSITIVE
    assert s.level_of("SOMETHING_NEW") is SensitivityLevel.SEMI_SENSITIVE
    assert s.thresholds[SensitivityLevel.PUBLIC] == "cloud"


def test_toml_file_bare_and_under_ptmo_table(tmp_path):
    bare = write(tmp_path, 'policy = "local-only"\nclassifier_timeout_s = 2.5\n'
                           '[level_policy]\nEMAIL_ADDRESS = "private"\n'
                           '[thresholds]\nsemi-sensitive = "local"\n')
    s = Settings.load(bare)
    assert s.policy == "local-only" and s.classifier_timeout_s == 2.5
    assert s.level_of("EMAIL_ADDRESS") is SensitivityLevel.PRIVATE
    assert s.level_of("PASSWORD") is SensitivityLevel.PRIVATE  # defaults kept beside the file's
    assert s.thresholds[SensitivityLevel.SEMI_SENSITIVE] == "local"
    assert s.thresholds[SensitivityLevel.PRIVATE] == "masked"
    nested = write(tmp_path, '[ptmo]\ndecomposer = "sentence"\n')
    assert Settings.load(nested).decomposer == "sentence"


def test_precedence_file_env_keywords(tmp_path, monkeypatch):
    path = write(tmp_path, 'policy = "local-only"\ndecomposer = "clause"\ncloud = "groq:file"\n')
    monkeypatch.setenv("PTMO_CONFIG", str(path))
    monkeypatch.setenv("PTMO_DECOMPOSER", "sentence")
    monkeypatch.setenv("PTMO_CLASSIFIERS", " rules , ner ,")
    s = Settings.load(cloud="groq:kw")
    assert (s.policy, s.decomposer, s.cloud) == ("local-only", "sentence", "groq:kw")
    assert s.classifiers == ["rules", "ner"]


def test_none_overrides_are_ignored():
    assert Settings.load(policy=None).policy == "threshold"


def test_router_accepts_a_config_path_and_a_settings_object(tmp_path):
    path = write(tmp_path, 'policy = "local-only"\nclassifiers = ["rules"]\n')
    assert PrivacyRouter(path).plan("What is Python?").cloud_payloads == []
    settings = Settings(classifiers=["rules"])
    router = PrivacyRouter(settings, policy="cloud-only")
    assert router.settings.policy == "cloud-only" and settings.policy == "threshold"


@pytest.mark.parametrize("kwargs, field", [
    ({"bogus": 1}, "bogus"),
    ({"level_policy": {"PERSON": "secret"}}, "level_policy"),
    ({"thresholds": {"private": "yolo"}}, "thresholds"),
    ({"thresholds": {"very-private": "local"}}, "thresholds"),
    ({"classifier_timeout_s": 0}, "classifier_timeout_s"),
    ({"max_prompt_chars": -5}, "max_prompt_chars"),
    ({"cloud_fallback": "shrug"}, "cloud_fallback"),
    ({"budget": {"epsilon": 0}}, "budget.epsilon"),
    ({"level_policy": ["PERSON"]}, "level_policy"),
])
def test_invalid_values_name_the_field(kwargs, field):
    with pytest.raises(ConfigError) as info:
        Settings.load(**kwargs)
    assert f"{field}:" in str(info.value)


def test_unknown_key_in_file(tmp_path):
    with pytest.raises(ConfigError, match="polcy: Extra inputs are not permitted"):
        Settings.load(write(tmp_path, 'polcy = "threshold"\n'))


def test_bad_env_value_names_the_field(monkeypatch):
    monkeypatch.setenv("PTMO_CLASSIFIER_TIMEOUT_S", "soon")
    with pytest.raises(ConfigError, match="classifier_timeout_s"):
        Settings.load()


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found: .*nope.toml"):
        Settings.load(tmp_path / "nope.toml")


def test_missing_file_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("PTMO_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigError, match="gone.toml"):
        PrivacyRouter()


@pytest.mark.parametrize("body", ['policy = "unterminated\n', "[ptmo\n", "= 3\n"])
def test_bad_toml(tmp_path, body):
    with pytest.raises(ConfigError, match="is not valid TOML"):
        Settings.load(write(tmp_path, body))


def test_binary_file_is_not_toml(tmp_path):
    path = tmp_path / "ptmo.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        Settings.load(path)


def test_config_error_is_a_value_error():
    with pytest.raises(ValueError):
        Settings.load(policy=3)


def test_assignment_is_validated():
    s = Settings()
    with pytest.raises(Exception, match="classifier_timeout_s"):
        s.classifier_timeout_s = -1


def test_every_environment_variable_read_is_declared() -> None:
    """Every variable the code reads (``os.environ.get("X")``, ``os.environ["X"]``,
    ``os.getenv("X")``, a module constant ``..._ENV = "X"``) is declared; read from the
    syntax tree, so that code quoted as data (the code corpora) does not count."""
    import ast
    import re
    from pathlib import Path

    from ptmo_middleware.config import ENVIRONMENT, Settings

    def text(node: ast.AST) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ" or (
            isinstance(node, ast.Name) and node.id == "environ")

    root = Path(__file__).resolve().parent.parent
    read = set()
    for folder in ("ptmo_middleware", "plugins", "integrations", "ptmo_lab"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = None
                if isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute) and (
                        node.func.attr == "getenv" or node.func.attr == "get" and environ(node.func.value)):
                    name = text(node.args[0])
                elif isinstance(node, ast.Subscript) and environ(node.value):
                    name = text(node.slice)
                elif isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and re.fullmatch(r"[A-Z_]*ENV[A-Z_]*", t.id) for t in node.targets):
                    name = text(node.value)
                if name and re.fullmatch(r"[A-Z0-9_]+", name):
                    read.add(name)
    fields = {f"PTMO_{name.upper()}" for name in Settings.model_fields}
    assert sorted(read - set(ENVIRONMENT) - fields) == []
