"""The recipes stay in step with the notebooks: same variables and defaults, allowed imports."""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from helpers import config

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))
ALLOWED_IMPORTS = {"cartesia", "httpx", "dotenv"} | set(sys.stdlib_module_names)
CHAT_RECIPES = {"voice_agent.py"}  # these also talk to the gateway's chat models: the openai SDK
ENV_EXAMPLE = {name: value or "" for name, value in dotenv_values(ROOT / ".env.example").items()}


def settings_read(script: Path) -> dict[str, str]:
    """Every `setting("NAME", default)` call in a script, as name -> default."""
    read: dict[str, str] = {}
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setting":
            name, *default = (ast.literal_eval(arg) for arg in node.args)
            value = default[0] if default else ""
            assert read.setdefault(name, value) == value, f"{script.name}: two defaults for {name}"
    return read


def config_default(name: str, monkeypatch: pytest.MonkeyPatch, empty_env: Path) -> str:
    """The default helpers.config gives the setting read from `name`, found by setting it."""
    for variable in config.VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    defaults = config.load_settings(empty_env)
    monkeypatch.setenv(name, "sentinel-value")
    changed = [
        field.name
        for field in dataclasses.fields(defaults)
        if getattr(config.load_settings(empty_env), field.name) != getattr(defaults, field.name)
    ]
    assert len(changed) == 1, f"helpers.config does not read {name} into one setting: {changed}"
    return getattr(defaults, changed[0])


def test_there_are_the_recipes_of_the_readme():
    names = {script.name for script in SCRIPTS}
    assert {"tts.py", "tts_stream.py", "tts_websocket.py", "stt.py", "stt_stream.py"} <= names
    assert {"tts_sync.py", "batch.py", "voice_agent.py"} <= names
    readme = (ROOT / "README.md").read_text().split("## Copy-paste recipes", 1)[1]
    section = readme.split("\n## ", 1)[0]
    assert all(f"examples/{name}" in section for name in names), section


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_environment_is_read_only_through_setting(script):
    tree = ast.parse(script.read_text())
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "environ"]
    (setting,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "setting"]
    assert len(reads) == 1 and reads[0] in list(ast.walk(setting)), script.name
    assert "getenv" not in script.read_text()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_variables_and_defaults_are_those_of_env_example(script):
    read = settings_read(script)
    assert {"GATEWAY_BASE_URL", "TFY_API_KEY"} <= set(read)
    for name, default in read.items():
        assert name in ENV_EXAMPLE, f"{script.name} reads {name}, which .env.example lacks"
        assert default == ENV_EXAMPLE[name], f"{script.name}: {name} defaults to {default!r}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_defaults_are_those_of_helpers_config(script, monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("")
    for name, default in settings_read(script).items():
        if default:  # the two without a default are checked against .env.example
            assert default == config_default(name, monkeypatch, tmp_path / ".env"), name


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_docstring_names_each_variable_and_the_exit_codes(script):
    docstring = ast.get_docstring(ast.parse(script.read_text())) or ""
    assert all(name in docstring for name in settings_read(script)), docstring
    assert "1 the gateway or the service refused, 2 bad usage or settings" in docstring


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_imports_only_the_sdks_httpx_dotenv_and_the_standard_library(script):
    modules = set()
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    allowed = ALLOWED_IMPORTS | ({"openai"} if script.name in CHAT_RECIPES else set())
    assert modules <= allowed, modules - allowed


PREAMBLE = ("setting", "fail", "gateway", "refusal")  # chat recipes: their own gateway, refusal
CODE_LINES = 100  # the "about 100 lines", counted without blanks, comments and docstrings


def functions(script: Path) -> dict[str, str]:
    """Each top-level function of a script, name -> its source."""
    source = script.read_text()
    tree = ast.parse(source)
    defs = (node for node in tree.body if isinstance(node, ast.FunctionDef))
    return {node.name: ast.get_source_segment(source, node) or "" for node in defs}


@pytest.mark.parametrize("name", PREAMBLE)
def test_the_shared_preamble_is_the_same_in_every_recipe(name):
    copies = {
        script.name: functions(script)[name]
        for script in SCRIPTS
        if name in ("setting", "fail") or script.name not in CHAT_RECIPES
    }
    reference = copies["tts.py"]
    assert [script for script, source in copies.items() if source != reference] == []


def code_lines(script: Path) -> int:
    """Lines that are neither blank, a comment, nor part of a docstring."""
    source = script.read_text()
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        documented = isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef)
        if documented and ast.get_docstring(node) is not None:
            docstrings |= set(range(node.body[0].lineno, node.body[0].end_lineno + 1))
    lines = enumerate(source.splitlines(), 1)
    return sum(1 for n, line in lines if line.strip()[:1] not in ("", "#") and n not in docstrings)


@pytest.mark.parametrize(
    "script", [s for s in SCRIPTS if s.name not in CHAT_RECIPES], ids=lambda path: path.name
)
def test_each_single_call_recipe_stays_short(script):
    assert code_lines(script) <= CODE_LINES, f"{script.name}: {code_lines(script)} lines of code"
