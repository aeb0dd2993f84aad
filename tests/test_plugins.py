"""The plugin system: default plugins, hook contracts, entry-point plugins, tracing,
and datasette's two meta-tests (every hook documented with its signature, every hook tested)."""
from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pluggy
import pytest
from typer.testing import CliRunner

from ptmo_middleware import PrivacyRouter, Route, SensitivityLevel, Span, hookimpl, hookspecs
from ptmo_middleware import plugin_manager as pmod
from ptmo_middleware.cli import app
from ptmo_middleware.components import Aggregator, Answers, Classifier, Decomposer, RouterPolicy
from ptmo_middleware.errors import ConfigError, PluginError
from ptmo_middleware.plugins.aggregators.base import StreamingAggregator
from recording_backend import RecordingBackend

ROOT = Path(__file__).resolve().parents[1]
HOOKS = sorted(name for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
               if hasattr(f, "ptmo_middleware_spec"))


def hook_signature(name: str) -> str:
    """``name(arg: Annotation) -> Return`` as written in hookspecs.py."""
    sig = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"{name}({params}) -> {sig.return_annotation}"


# -- meta-tests ------------------------------------------------------------------------

def test_there_are_five_hooks():
    assert HOOKS == ["register_aggregators", "register_backends", "register_classifiers", "register_decomposers",
                     "register_router_policies"]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_signature(hook):
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^###\s+`([^`]+)`", doc, re.MULTILINE))
    assert hook_signature(hook) in documented, f"docs/plugins.md lacks a '### `{hook_signature(hook)}`' heading"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert re.search(rf"^def test_hook_{hook}\b", sources, re.MULTILINE), f"no test_hook_{hook}"


# -- one test per hook ----------------------------------------------------------------

class EmployeeBadge:
    """A throwaway classifier: 'BADGE-' and four digits is PRIVATE."""

    name = "badge"
    inline = True

    def __init__(self, settings):
        self.settings = settings

    def classify(self, text, context):
        return [Span(m.start(), m.end(), "BADGE", SensitivityLevel.PRIVATE, 0.9, self.name)
                for m in re.finditer(r"BADGE-\d{4}", text)]


class PipeDecomposer:
    """A throwaway decomposer: one part per '|'-separated piece."""

    name = "pipes"

    def __init__(self, settings):
        self.settings = settings

    def decompose(self, text, spans, vault):
        from ptmo_middleware.plugins.decomposers.base import make_part, split_at

        cuts = [m.end() for m in re.finditer(r"\|", text)]
        return [make_part(text, s, e, spans, vault) for s, e in split_at(text, cuts, spans)]


class FirstPartOnly:
    """A throwaway policy: the first part goes to the cloud, the rest stays local."""

    name = "first-only"

    def __init__(self, settings):
        self.settings = settings

    def route(self, parts, request):
        return [Route.CLOUD] + [Route.LOCAL] * (len(parts) - 1)


class CloudFirst(StreamingAggregator):
    """A throwaway aggregator: the cloud answer restored, else the local one."""

    name = "cloud-first"

    def aggregate(self, plan, answers, vault):
        return vault.restore(answers.cloud) if answers.cloud is not None else answers.local or ""


class ThrowawayPlugin:
    @hookimpl
    def register_classifiers(self, register):
        register(EmployeeBadge)

    @hookimpl
    def register_decomposers(self, register):
        register(PipeDecomposer)

    @hookimpl
    def register_router_policies(self, register):
        register(FirstPartOnly)

    @hookimpl
    def register_aggregators(self, register):
        register(CloudFirst)


def test_hook_register_classifiers(register_plugin):
    register_plugin(ThrowawayPlugin(), "throwaway")
    assert pmod.get_classifiers()["badge"] is EmployeeBadge
    plan = PrivacyRouter(classifiers=["rules", "badge"]).plan("Open door for BADGE-1234 now.")
    assert [s.entity_type for s in plan.spans] == ["BADGE"]
    assert plan.cloud_payloads == ["Open door for [BADGE_1] now."]


def test_hook_register_decomposers(register_plugin):
    register_plugin(ThrowawayPlugin(), "throwaway")
    plan = PrivacyRouter(classifiers=["rules"], decomposer="pipes").plan("a b | c d | e")
    assert [p.text for p in plan.parts] == ["a b |", "c d |", "e"]


def test_hook_register_router_policies(register_plugin):
    register_plugin(ThrowawayPlugin(), "throwaway")
    plan = PrivacyRouter(classifiers=["rules"], policy="first-only").plan(
        "What is Python? Explain it.", decomposer="sentence")
    assert [p.route for p in plan.parts] == [Route.CLOUD, Route.LOCAL]
    assert plan.cloud_payloads == ["What is Python?"]
    assert plan.route is Route.HYBRID


def test_hook_register_aggregators(register_plugin):
    register_plugin(ThrowawayPlugin(), "throwaway")
    aggregator = pmod.get_component("aggregator", "cloud-first")(None)
    router = PrivacyRouter(classifiers=["rules"])
    plan = router.plan("my password is hunter22 ok", conversation_id="c")
    vault = router.vault("c")
    assert aggregator.aggregate(plan, Answers(cloud="Yes, [PASSWORD_1] is weak."), vault) == "Yes, hunter22 is weak."
    assert aggregator.aggregate(plan, Answers(local="local says hi"), vault) == "local says hi"
    restorer = aggregator.stream_restorer(plan, vault)
    chunks = ["Yes, [PASS", "WORD_1] is", " weak."]
    assert "".join([restorer.feed(c) for c in chunks] + [restorer.flush()]) == "Yes, hunter22 is weak."


class EchoBackend:
    """A backend a plugin registers under the prefix ``echo``."""

    provider = "echo"

    def __init__(self, arg: str, settings) -> None:
        self.name = f"echo:{arg}"
        self.timeout = settings.backend_timeout_s

    def chat(self, messages, **options):
        from ptmo_middleware.backends import BackendReply, Usage

        return BackendReply(f"echo: {messages[-1].content}", Usage(), self.name, self.provider)

    def stream(self, messages, **options):
        yield self.chat(messages).text

    async def achat(self, messages, **options):
        return self.chat(messages)

    async def astream(self, messages, **options):
        yield self.chat(messages).text


class BackendPlugin:
    @hookimpl
    def register_backends(self, register):
        register(EchoBackend, name="echo")


def test_hook_register_backends(register_plugin):
    register_plugin(BackendPlugin(), "echo-backend")
    router = PrivacyRouter(classifiers=["rules"], local="echo:small", cloud="echo:big", backend_timeout_s=7)
    reply = router.invoke("What is Python?")
    assert reply.text == "echo: What is Python?" and reply.backends == {"cloud": "echo:big"}
    assert router.invoke("What is Python?", policy="local-only").backends == {"local": "echo:small"}
    assert router.cloud_backend.timeout == 7
    assert set(pmod.get_backends()) >= {"echo", "ollama", "groq", "embedded"}
    with pytest.raises(ConfigError, match="unknown backend 'nope:x'; available: .*'echo:...'"):
        PrivacyRouter(local="nope:x").local_backend


def protocol_members(proto) -> set[str]:
    return set(getattr(proto, "__annotations__", {})) | {
        n for n, v in vars(proto).items() if callable(v) and not n.startswith("_")}


def test_protocol_members_are_known():
    """The Aggregator protocol has one streaming method, the one the executor calls."""
    assert protocol_members(Aggregator) == {"name", "aggregate", "stream_restorer"}
    assert protocol_members(Classifier) == {"name", "classify"}


class UpperCloud:
    """A third-party aggregator written from the documented protocol alone (no base
    class): the cloud answer restored and upper-cased, streamed as it arrives."""

    name = "upper-cloud"

    def __init__(self, settings):
        self.settings = settings

    def aggregate(self, plan, answers, vault):
        return vault.restore(answers.cloud or answers.local or "", only=plan.placeholders).upper()

    def stream_restorer(self, plan, vault):
        restorer = vault.stream_restorer(only=plan.placeholders)

        class Upper:
            def feed(self, chunk: str) -> str:
                return restorer.feed(chunk).upper()

            def flush(self) -> str:
                return restorer.flush().upper()

        return Upper()


class UpperPlugin:
    @hookimpl
    def register_aggregators(self, register):
        register(UpperCloud)


def test_an_aggregator_written_to_the_documented_protocol_streams(register_plugin):
    register_plugin(UpperPlugin(), "upper")
    assert isinstance(UpperCloud(None), Aggregator)
    router = PrivacyRouter(classifiers=["rules"], aggregator="upper-cloud", local=RecordingBackend("local"),
                           cloud=RecordingBackend("cloud", chunk_chars=2))
    chunks = list(router.stream("my password is hunter22 ok"))
    assert len(chunks) > 3 and chunks[-1].reply is not None
    assert "".join(c.text for c in chunks) == chunks[-1].reply.text == "CLOUD HEARD: MY PASSWORD IS HUNTER22 OK"
    assert router.invoke("my password is hunter22 ok").text == chunks[-1].reply.text


def test_an_aggregator_without_stream_restorer_says_so_when_streaming(register_plugin):
    class NoStream:
        name = "no-stream"

        def __init__(self, settings):
            pass

        def aggregate(self, plan, answers, vault):
            return answers.cloud or ""

    class Plugin:
        @hookimpl
        def register_aggregators(self, register):
            register(NoStream)

    register_plugin(Plugin(), "no-stream")
    router = PrivacyRouter(classifiers=["rules"], aggregator="no-stream", local=RecordingBackend("local"),
                           cloud=RecordingBackend("cloud"))
    assert router.invoke("What is Python?").text == "cloud heard: What is Python?"
    with pytest.raises(PluginError, match="no-stream.*stream_restorer"):
        list(router.stream("What is Python?"))


def test_throwaway_components_satisfy_the_protocols():
    for cls, proto in ((EmployeeBadge, Classifier), (PipeDecomposer, Decomposer),
                       (FirstPartOnly, RouterPolicy), (CloudFirst, Aggregator)):
        assert isinstance(cls(None), proto)
    assert not isinstance(PipeDecomposer(None), Classifier)


def test_registered_components_satisfy_the_protocols():
    """Checked on the classes: some components need trained artefacts to be built."""
    kinds = ((pmod.get_classifiers, Classifier), (pmod.get_decomposers, Decomposer),
             (pmod.get_router_policies, RouterPolicy), (pmod.get_aggregators, Aggregator))
    for getter, proto in kinds:
        for name, cls in getter().items():
            missing = {m for m in protocol_members(proto) if not hasattr(cls, m)}
            assert not missing, f"{name} lacks {missing} of {proto.__name__}"
            assert isinstance(cls.name, str) and cls.name


# -- the manager ----------------------------------------------------------------------

def test_default_plugins_are_loaded_and_marked_builtin():
    rows = {r["name"]: r for r in pmod.plugin_summary()}
    for module in ("ptmo_middleware.plugins.classifiers.rules", "ptmo_middleware.plugins.decomposers.entity",
                   "ptmo_middleware.plugins.policies.threshold"):
        assert rows[module]["builtin"] is True
        assert rows[module]["distribution"].startswith("ptmo-middleware ")
    assert {"threshold", "local-only", "cloud-only"} <= set(pmod.get_router_policies())
    assert {"sentence", "clause", "entity", "auto"} <= set(pmod.get_decomposers())


def test_unknown_component_lists_the_available_ones():
    with pytest.raises(PluginError, match=r"unknown decomposer 'nope'; available: .*sentence"):
        pmod.get_component("decomposer", "nope")


def test_unknown_classifier_in_settings_is_a_config_error():
    from ptmo_middleware.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown classifier 'nope'"):
        PrivacyRouter(classifiers=["nope"])


def test_component_without_a_name_is_refused(register_plugin):
    class Nameless:
        @hookimpl
        def register_router_policies(self, register):
            register(object)

    register_plugin(Nameless(), "nameless")
    with pytest.raises(PluginError, match="has no name"):
        pmod.get_router_policies()


def test_implementation_with_wrong_arguments_is_rejected():
    class Wrong:
        @hookimpl
        def register_classifiers(self, register, extra):
            pass

    with pytest.raises(pluggy.PluginValidationError):
        pmod.pm.register(Wrong(), name="wrong")
    assert pmod.pm.get_plugin("wrong") is None


def test_implementation_of_an_unknown_hook_is_rejected():
    class Unknown:
        @hookimpl
        def register_frobnicators(self, register):
            pass

    pmod.pm.register(Unknown(), name="unknown-hook")
    try:
        with pytest.raises(pluggy.PluginValidationError):
            pmod.pm.check_pending()
    finally:
        pmod.pm.unregister(name="unknown-hook")


def test_trace_plugins_prints_hook_calls(capsys):
    pmod.trace_plugins(True)
    try:
        pmod.get_decomposers()
    finally:
        pmod.trace_plugins(False)
    err = capsys.readouterr().err
    assert "[ptmo trace] register_decomposers -> " in err
    assert "ptmo_middleware.plugins.decomposers.sentence" in err
    pmod.get_decomposers()
    assert capsys.readouterr().err == ""


def test_cli_trace_plugins_flag():
    result = CliRunner().invoke(app, ["--trace-plugins", "plan", "-c", "rules", "hello"])
    try:
        assert result.exit_code == 0, result.output
        assert "[ptmo trace] register_classifiers -> ptmo_middleware.plugins.classifiers.rules" in result.output
    finally:
        pmod.trace_plugins(False)


# -- a separately installed package, loaded through its entry point ------------------

@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """examples/ptmo-plugin-example installed with pip into a throwaway --target dir."""
    work = tmp_path_factory.mktemp("example-plugin")
    src = work / "src"
    shutil.copytree(ROOT / "examples" / "ptmo-plugin-example", src)
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--disable-pip-version-check", "--target", str(target), str(src)],
                   check=True, capture_output=True, timeout=240)
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield target
    finally:
        if pmod.pm.get_plugin("employee_id") is not None:
            pmod.pm.unregister(name="employee_id")
        sys.path.remove(str(target))
        sys.modules.pop("ptmo_plugin_example", None)


def test_restriction_skips_other_distributions(example_site):
    assert pmod.load_entrypoint_plugins(["some-other-plugin"]) == []
    assert pmod.pm.get_plugin("employee_id") is None


def test_example_plugin_from_entry_point_changes_a_plan(example_site):
    prompt = "Reset the badge of EMP-123456, then explain what a VPN is."
    before = PrivacyRouter(classifiers=["rules"]).plan(prompt)
    assert "EMP-123456" in before.cloud_payloads[0]
    # Distribution names match the way pip compares them (underscores, case).
    assert pmod.load_entrypoint_plugins(["PTMO_plugin_example"]) == ["employee_id"]
    try:
        rows = {r["name"]: r for r in pmod.plugin_summary()}
        assert rows["employee_id"] == {"name": "employee_id", "hooks": ["register_classifiers"],
                                       "distribution": "ptmo-plugin-example 0.1.0", "builtin": False}
        table = CliRunner().invoke(app, ["plugins"])
        assert table.exit_code == 0 and "employee_id" in table.output
        listed = CliRunner().invoke(app, ["plugins", "--json"])
        assert rows["employee_id"] in json.loads(listed.output)

        plan = PrivacyRouter(classifiers=["rules", "employee-id"]).plan(prompt)
        assert plan.level is SensitivityLevel.PRIVATE
        assert [(s.entity_type, s.source) for s in plan.spans] == [("EMPLOYEE_ID", "employee-id")]
        assert plan.cloud_payloads == ["Reset the badge of [EMPLOYEE_ID_1], then explain what a VPN is."]
        local = PrivacyRouter(classifiers=["employee-id"], thresholds={"private": "local"}).plan(prompt)
        assert local.cloud_payloads == [] and local.route is Route.LOCAL
    finally:
        pmod.pm.unregister(name="employee_id")
    assert "employee_id" not in {r["name"] for r in pmod.plugin_summary()}


def test_example_plugin_restores_from_the_vault(example_site):
    pmod.load_entrypoint_plugins(["ptmo-plugin-example"])
    try:
        router = PrivacyRouter(classifiers=["employee-id"])
        router.plan("Who is EMP-654321?", conversation_id="c")
        assert router.vault("c").restore("[EMPLOYEE_ID_1] is on leave.") == "EMP-654321 is on leave."
    finally:
        pmod.pm.unregister(name="employee_id")


def ptmo(*args: str, site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``ptmo`` script, outside pytest (entry points autoload there)."""
    exe = Path(sys.executable).parent / "ptmo"
    if not exe.exists():
        pytest.skip("the ptmo console script is not installed next to this interpreter")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PTMO_")}
    clean["PYTHONPATH"] = str(site)
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120, env={**clean, **env})


@pytest.mark.parametrize("restriction, loaded", [
    (None, True), ("", False), ("ptmo_plugin_example,other", True),
    ("employee_id", True), ("other", False)])
def test_installed_plugin_autoloads_unless_restricted(example_site, restriction, loaded):
    env = {} if restriction is None else {"PTMO_LOAD_PLUGINS": restriction}
    proc = ptmo("plugins", "--json", site=example_site, **env)
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert ("employee_id" in rows) is loaded
    if loaded:
        assert rows["employee_id"]["distribution"] == "ptmo-plugin-example 0.1.0"
    names = set(rows)
    assert "ptmo_middleware.plugins.classifiers.rules" in names


def test_installed_plugin_changes_the_cli_plan_and_is_traced(example_site):
    proc = ptmo("plan", "-c", "rules", "-c", "employee-id", "--json", "Badge EMP-123456 is lost.",
                site=example_site, PTMO_TRACE_PLUGINS="1")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["cloud_payloads"] == ["Badge [EMPLOYEE_ID_1] is lost."] and plan["level"] == "PRIVATE"
    assert "[ptmo trace] register_classifiers -> " in proc.stderr and "employee_id" in proc.stderr


def test_the_code_in_docs_plugins_md_runs():
    """The worked example and the testing recipe in docs/plugins.md, executed as written."""
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    example = next(b for b in blocks if "class EmployeeIdClassifier" in b)
    recipe = next(b for b in blocks if "def test_employee_ids_stay_private" in b)
    namespace: dict[str, object] = {"__name__": "docs_plugins_md"}
    exec(compile(example + recipe, "docs/plugins.md", "exec"), namespace)
    namespace["test_employee_ids_stay_private"]()
    assert pmod.pm.get_plugin("my-plugin") is None


def test_decomposer_with_wrong_offsets_is_a_plugin_error(register_plugin):
    from ptmo_middleware.types import Part

    class Shifty:
        name = "shifty"

        def __init__(self, settings):
            pass

        def decompose(self, text, spans, vault):
            return [Part(text=text, start=1, level=SensitivityLevel.PUBLIC, maskable=True, masked_text=text)]

    class Plugin:
        @hookimpl
        def register_decomposers(self, register):
            register(Shifty)

    register_plugin(Plugin(), "shifty")
    with pytest.raises(PluginError, match="not at its offset"):
        PrivacyRouter(classifiers=["rules"], decomposer="shifty").plan("hello world")
