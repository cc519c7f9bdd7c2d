#!/usr/bin/env python3
"""Source lints that clippy has no lint for; CI runs them (.ci/run).

    scripts/lint-source.py [threads] [colours]      (no argument: both)

threads: every thread is named, so a profiler, a debugger, a panic message or `top -H` says whose
  it is. Threads start with `std::thread::Builder::new().name(..)`; rayon pools set
  `.thread_name(..)`, tokio multi-thread runtimes too. Bare `thread::spawn`, scoped threads
  started with `scope.spawn(..)`, and imports that hide the path are refused.
colours: GUI colours come from the theme (`gui/theme.rs`): egui's colour types (`Color32`, `Rgba`,
  `Hsva`) are named elsewhere only as types, never built (`Color32::from_rgb(..)`,
  `Color32::WHITE`).

The files checked are the non-test sources of every workspace member (from `cargo metadata`, so
new crates are covered without editing this script): the folders of each package's library,
binary and build-script targets. Test code is skipped: `tests/` folders, files of `#[cfg(test)]`
modules, and everything from an inline `#[cfg(test)] mod` to the end of its file (clippy's
`items_after_test_module` keeps test modules last). Comment lines are ignored.

Exit status 1 when something is found, each finding as FILE:LINE: message.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The one module allowed to build colours.
THEME_SUFFIX = ("gui", "theme.rs")

CFG_TEST = re.compile(r"^\s*#\[cfg\(test\)\]\s*$")
MOD_DECL = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*(;|\{)")


def source_dirs():
    """Folders holding the non-test targets of every workspace member."""
    out = subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1", "--locked"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    meta = json.loads(out)
    members = set(meta["workspace_members"])
    dirs = set()
    for package in meta["packages"]:
        if package["id"] not in members:
            continue
        for target in package["targets"]:
            if set(target["kind"]) & {"test", "bench", "example"}:
                continue
            dirs.add(Path(target["src_path"]).parent)
    return sorted(dirs)


def child_module(parent: Path, name: str) -> list:
    """Where `mod name;` declared in `parent` lives (file and folder candidates)."""
    base = parent.parent if parent.name in ("lib.rs", "main.rs", "mod.rs") else parent.with_suffix("")
    return [base / f"{name}.rs", base / name / "mod.rs", base / name]


def code_lines(path: Path, text: str, test_paths: set) -> list:
    """The file's lines with comments and test code blanked (line numbers kept). Adds the files of
    `#[cfg(test)] mod x;` declarations to `test_paths`."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if CFG_TEST.match(line) and i + 1 < len(lines):
            m = MOD_DECL.match(lines[i + 1])
            if m and m.group(2) == "{":
                break  # an inline test module: the rest of the file is tests
            if m:
                test_paths.update(child_module(path, m.group(1)))
                out += ["", ""]
                i += 2
                continue
        out.append("" if line.lstrip().startswith("//") else line)
        i += 1
    return out


def sources():
    """(path, lines) of every non-test source file."""
    files = set()
    for d in source_dirs():
        files.update(p for p in d.rglob("*.rs") if "target" not in p.parts and "tests" not in p.parts)
    test_paths = set()
    read = [(p, code_lines(p, p.read_text(encoding="utf-8"), test_paths)) for p in sorted(files)]
    # Then drop the files of test modules, which the first pass found.
    return [
        (p, lines)
        for p, lines in read
        if p.name != "tests.rs" and p not in test_paths and not any(t in p.parents for t in test_paths)
    ]


def findings(path, lines, rules):
    """(line number, message) pairs for `rules` over `match_text`-style regexes."""
    text = "\n".join(lines)
    found = []
    for rule, message in rules:
        for m in rule.finditer(text):
            if m.groupdict().get("ok"):
                continue
            found.append((text.count("\n", 0, m.start()) + 1, message))
    return found


NAME = "start threads with std::thread::Builder::new().name(\"..\").spawn(..)"
THREAD_RULES = [
    (re.compile(r"\bthread::spawn\b"), f"unnamed thread: {NAME}"),
    (
        re.compile(r"\buse\s+std::thread::(?:spawn\b|Builder\b|\*|\{[^}]*\b(?:spawn|Builder|\*)\b[^}]*\})"),
        "import of std::thread's spawn or Builder: write the path in full so this lint can check the name",
    ),
    (
        re.compile(r"\bthread::Builder::new\(\)(?P<ok>\s*\.name\()?"),
        f"thread started without a name first: {NAME}",
    ),
    (
        re.compile(r"\bThreadPoolBuilder::new\(\)(?P<ok>(?:(?!\.build)[\s\S])*\.thread_name\()?"),
        "rayon pool without .thread_name(..) before .build()",
    ),
    (
        re.compile(r"\bBuilder::new_multi_thread\(\)(?P<ok>(?:(?!\.build)[\s\S])*\.thread_name\()?"),
        "tokio runtime without .thread_name(..) before .build()",
    ),
]
# Scoped threads: `s.spawn(|| ..)` on a std::thread::scope cannot be named; use
# std::thread::Builder::new().name(..).spawn_scoped(s, ..).
SCOPED_RULE = (
    re.compile(r"\b[a-z_][a-z0-9_]*\.spawn\(\s*(?:move\s*)?\|"),
    f"unnamed scoped thread: std::thread::Builder::new().name(\"..\").spawn_scoped(scope, ..)",
)

COLOUR_RULES = [
    (
        re.compile(r"\b(?:Color32|Rgba|Hsva|HsvaGamma)::[A-Za-z_]\w*"),
        "a colour built outside the theme: add it to the Palette in app/src/gui/theme.rs and use it from there",
    ),
    (re.compile(r"\becolor::"), "a colour built outside the theme (ecolor): use the Palette in app/src/gui/theme.rs"),
]


def main(argv):
    wanted = set(argv) or {"threads", "colours"}
    unknown = wanted - {"threads", "colours"}
    if unknown:
        print(f"usage: {sys.argv[0]} [threads] [colours]; unknown: {' '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    problems = []
    checked = 0
    for path, lines in sources():
        checked += 1
        rel = path.relative_to(ROOT)
        if "threads" in wanted:
            rules = list(THREAD_RULES)
            if re.search(r"\bthread::scope\b", "\n".join(lines)):
                rules.append(SCOPED_RULE)
            problems += [(rel, n, f"[threads] {m}") for n, m in findings(path, lines, rules)]
        if "colours" in wanted and tuple(rel.parts[-2:]) != THEME_SUFFIX:
            problems += [(rel, n, f"[colours] {m}") for n, m in findings(path, lines, COLOUR_RULES)]
    for rel, n, message in sorted(problems):
        print(f"{rel}:{n}: {message}")
    if problems:
        print(f"error: {len(problems)} finding(s) in {checked} source files", file=sys.stderr)
        return 1
    print(f"ok: {' and '.join(sorted(wanted))} checked in {checked} source files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
