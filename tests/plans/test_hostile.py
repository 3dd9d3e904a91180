"""Hostile input: every attack is refused with one line (InputError at plan level, exit code 2 in the CLI) and fast."""

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime.cli.main import run_cli
from crunchtime.errors import InputError
from crunchtime.model.plans import ExprError, load_plan, parse_expr, parse_plan

ATTACKS = {
    "import": "__import__('os').system('true')",
    "dunder-name": "__import__",
    "dunder-class": "__class__",
    "builtins": "__builtins__",
    "attr": "political_will.__class__",
    "tuple-attr": "().__class__.__bases__[0].__subclasses__()",
    "a.b": "a.b",
    "eval": "eval(1)",
    "exec": "exec(1)",
    "open": "open('x')",
    "getattr": "getattr(political_will, 1)",
    "lambda": "lambda: 1",
    "pow": "9**9**9",
    "caret-pow": "9^9^9",
    "huge-caret": "10^100000",
    "huge-literal": "1e999999",
    "huge-int": "9" * 400,
    "deep-parens": "(" * 10_000 + "1" + ")" * 10_000,
    "deep-within-length": "(" * 999 + "1" + ")" * 999,
    "deep-minus": "-" * 1999 + "1",
    "deep-not": "not " * 499 + "true",
    "deep-calls": "abs(" * 400 + "1" + ")" * 400,
    "long": "1+" * 500_000 + "1",
    "long-name": "a" * 1_000_000,
    "format": "'{0.__class__}'.format(1)",
    "fstring": "f'{1}'",
    "semicolon": "1; 2",
    "newline-stmt": "1\nimport os",
    "null-byte": "1\x00",
    "walrus": "(x := 1)",
    "subscript": "political_will[0]",
    "unicode-name": "polítical_will",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_expression_attacks_are_refused(name):
    with pytest.raises(ExprError) as info:
        parse_expr(ATTACKS[name])
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def _plan_text(when: str) -> str:
    escaped = when.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\x00", "\\0")
    return f'name: hostile\ndescription: attack\nrules:\n  - when: "{escaped}"\n    set: {{velocity: 0}}\n'


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_plan_files_with_attacks_fail_with_one_located_line(name, tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(_plan_text(ATTACKS[name]), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_plan(path)
    message = str(info.value)
    assert message.startswith(f"{path}:4: rules[0].when: ") and "\n" not in message


@pytest.mark.slow  # a wall-clock bound: the refusal is checked above, its speed here
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attacks_are_refused_fast(name, tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(_plan_text(ATTACKS[name]), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ExprError):
        parse_expr(ATTACKS[name])
    assert time.perf_counter() - start < 1.0
    start = time.perf_counter()
    with pytest.raises(InputError):
        load_plan(path)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_cli_validate_refuses_attacks(name, tmp_path, capsys):
    path = tmp_path / "hostile.yaml"
    path.write_text(_plan_text(ATTACKS[name]), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        run_cli(["validate", str(path)])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}:4: rules[0].when: ")
    assert "Traceback" not in err


idents = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(name=st.from_regex(r"__[a-z]{1,10}__", fullmatch=True))
def test_dunder_names_are_unknown(name):
    with pytest.raises(ExprError, match="unknown name"):
        parse_expr(name)


@settings(max_examples=200, deadline=None)
@given(obj=st.one_of(idents, st.just("()"), st.just("(1)")), attr=idents)
def test_attribute_access_is_refused(obj, attr):
    with pytest.raises(ExprError):
        parse_expr(f"{obj}.{attr}")


@settings(max_examples=200, deadline=None)
@given(
    func=idents.filter(lambda s: s not in {"min", "max", "clip", "abs", "and", "or", "not", "true", "false"}),
    args=st.lists(st.sampled_from(["1", "political_will", "x", "'s'"]), max_size=3),
)
def test_unknown_functions_are_refused(func, args):
    with pytest.raises(ExprError):
        parse_expr(f"{func}({', '.join(args)})")


@settings(max_examples=200, deadline=None)
@given(
    base=st.integers(2, 10**6),
    exps=st.lists(st.integers(10, 10**9), min_size=1, max_size=4),
    op=st.sampled_from(["**", "^"]),
)
def test_huge_powers_are_refused(base, exps, op):
    with pytest.raises(ExprError):
        parse_expr(
            op.join(map(str, [base, *exps])) if op == "**" or len(exps) > 1 or exps[0] > 64 else f"{base}^{exps[0]}^2"
        )


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=0, max_size=300))
def test_random_text_in_a_plan_file_is_an_input_error_or_valid(text):
    try:
        parse_plan(_plan_text(text), source="p.yaml")
    except InputError as err:
        assert "\n" not in str(err) and str(err).startswith("p.yaml")


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_random_yaml_documents_are_input_errors(text):
    try:
        parse_plan(text, source="p.yaml")
    except InputError as err:
        assert "\n" not in str(err)


def test_yaml_alias_bombs_are_refused():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nname: x\ndescription: y\n"
    with pytest.raises(InputError, match="anchors and aliases"):
        parse_plan(bomb, source="bomb.yaml")


def test_python_tags_are_refused():
    with pytest.raises(InputError, match="invalid YAML"):
        parse_plan("name: !!python/object/apply:os.system ['true']\ndescription: x\n", source="tag.yaml")


def test_huge_files_are_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("#" * (5 * 1024 * 1024))
    with pytest.raises(InputError, match="file too large"):
        load_plan(path)


def test_binary_files_are_refused(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(InputError, match="not UTF-8"):
        load_plan(path)


def test_nothing_in_the_plan_layer_calls_eval_exec_or_import():
    import ast

    banned = {
        "eval",
        "exec",
        "compile",
        "__import__",
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        "open",
        "input",
        "breakpoint",
        "import_module",
    }
    src = Path(__file__).resolve().parents[2] / "src" / "crunchtime" / "model" / "plans"
    files = sorted(src.rglob("*.py"))
    assert len(files) >= 4
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else None
                assert name not in banned, f"{path.name}:{node.lineno}: calls {name}()"
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    assert (func.value.id, func.attr) not in {
                        ("importlib", "import_module"),
                        ("builtins", "eval"),
                        ("yaml", "load"),
                        ("yaml", "unsafe_load"),
                    }, f"{path.name}:{node.lineno}"
            assert not isinstance(node, (ast.Import, ast.ImportFrom)) or all(
                a.name not in {"pickle", "marshal", "subprocess", "os"} for a in node.names
            ), f"{path.name}"


def test_loading_and_deciding_never_touch_eval(monkeypatch):
    import builtins

    from crunchtime.model.plans import example_observables
    from crunchtime.model.plans import loading as plan_module

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec used")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    plan_module._load_builtin.cache_clear()
    for name in plan_module.builtin_plan_names():
        load_plan(name).decide(example_observables(8))
