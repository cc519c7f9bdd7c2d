#!/usr/bin/env python3
"""Fails if a module of any workspace crate imports, directly or not, a module that imports it.

For each crate root of the workspace (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs` of every member
in the root `Cargo.toml`), the script finds the module tree from `mod NAME;` and `mod NAME { .. }`
declarations, then the imports of each file: `use` trees and paths in code that start with
`crate::`, `self::`, `super::` or the name of a child module the file declares. Each path is
resolved to the deepest module it names (`crate::cfn::network::subnets` -> `cfn/network.rs`;
`super::Template` -> the parent's file), giving a graph of files. Declaring a child (`mod x;`)
is not an import; using it (`x::f()`, `pub use x::Y`) is. Comments and string literals are
ignored. A strongly connected component of more than one file is a cycle, and is printed.

    scripts/check-module-cycles.py            # check every crate; exit 1 on a cycle
    scripts/check-module-cycles.py --edges    # also print every crate's import edges
"""

import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Cycles known and owned by a piece of work that removes them: the files, and who removes it. A
# cycle among some of these files passes with a note; a cycle that reaches any other file fails.
# Delete an entry when its cycle is gone (the script says so).
KNOWN_CYCLES = {}


def blank_comments_and_strings(text):
    """The text with comments, string and char literals replaced by spaces (newlines kept), so
    offsets still match the original."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    char_lit = re.compile(r"'(?:\\u\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|\\.|[^'\\\n])'")
    raw_start = re.compile(r'b?r(#*)"')
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif (c in "rb") and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) and raw_start.match(text, i):
            m = raw_start.match(text, i)
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            blank(i, j)
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'":
            m = char_lit.match(text, i)
            if m:
                blank(i, m.end())
                i = m.end()
            else:
                i += 1  # a lifetime
        else:
            i += 1
    return "".join(out)


def matching_brace(text, open_at):
    depth = 0
    for k in range(open_at, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(text)


def split_top(s):
    """Splits a use-tree list at top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def expand_use(tree, prefix=()):
    """The paths a use tree names, as tuples of segments (`self` in a group names the prefix)."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+\w+", "", tree))
    if "{" in tree:
        head, _, rest = tree.partition("{")
        body = rest[: rest.rfind("}")]
        head_segs = tuple(s for s in head.split("::") if s)
        out = []
        for part in split_top(body):
            out.extend(expand_use(part, prefix + head_segs))
        return out
    segs = tuple(s for s in tree.split("::") if s)
    if segs and segs[-1] == "self":
        segs = segs[:-1]
    return [prefix + segs]


USE_RE = re.compile(r"\buse\s+([^;]+);")
PATH_RE = re.compile(r"(?<![\w:])((?:crate|self|super)(?:\s*::\s*\w+)+)")
MOD_RE = re.compile(r"\bmod\s+(r#)?(\w+)\s*([;{])")


class Module:
    def __init__(self, path, file, parent, span=None):
        self.path = path  # tuple of names from the crate root
        self.file = file
        self.parent = parent
        self.span = span  # (start, end) offsets of an inline module's body in its file
        self.children = {}


def path_attribute(raw, at):
    """The `#[path = "..."]` attribute directly above the `mod` at offset `at`, if any."""
    before = raw[:at].rstrip()
    m = re.search(r'#\[path\s*=\s*"([^"]+)"\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s*)?$', before)
    return m.group(1) if m else None


def build_tree(root_file):
    """All modules of a crate, and per file its blanked text and its modules."""
    files = {}
    root = Module((), root_file, None)
    modules = [root]

    def visit(module, file, dir_for_children):
        raw = open(file, encoding="utf-8").read()
        text = blank_comments_and_strings(raw)
        files[file] = (raw, text)
        scan(module, file, raw, text, 0, len(text), dir_for_children)

    def scan(module, file, raw, text, start, end, child_dir):
        k = start
        while True:
            m = MOD_RE.search(text, k, end)
            if not m:
                return
            name = m.group(2)
            if m.group(3) == ";":
                explicit = path_attribute(raw, m.start())
                if explicit:
                    target = os.path.normpath(os.path.join(os.path.dirname(file), explicit))
                else:
                    a = os.path.join(child_dir, name + ".rs")
                    b = os.path.join(child_dir, name, "mod.rs")
                    target = a if os.path.exists(a) else b
                child = Module(module.path + (name,), target, module)
                module.children[name] = child
                modules.append(child)
                if os.path.exists(target):
                    sub_dir = os.path.dirname(target) if target.endswith("mod.rs") or explicit else os.path.join(child_dir, name)
                    visit(child, target, sub_dir)
                k = m.end()
            else:
                close = matching_brace(text, m.end() - 1)
                child = Module(module.path + (name,), file, module, (m.end(), close))
                module.children[name] = child
                modules.append(child)
                scan(child, file, raw, text, m.end(), close, os.path.join(child_dir, name))
                k = close + 1

    root_dir = os.path.dirname(root_file)
    visit(root, root_file, root_dir)
    return root, modules, files


def module_at(file_modules, offset):
    """The innermost module of a file containing `offset`."""
    best = None
    for m in file_modules:
        if m.span is None:
            if best is None:
                best = m
        elif m.span[0] <= offset <= m.span[1] and (best is None or best.span is None or m.span[0] >= best.span[0]):
            best = m
    return best


def resolve(segs, here, root):
    """The deepest module a path names, from module `here`; None when it names none of the crate's."""
    if not segs:
        return None
    cur = here
    i = 0
    if segs[0] == "crate":
        cur, i = root, 1
    elif segs[0] == "self":
        i = 1
    elif segs[0] == "super":
        while i < len(segs) and segs[i] == "super":
            cur = cur.parent if cur.parent else cur
            i += 1
    elif segs[0] in here.children:
        pass
    else:
        return None
    while i < len(segs) and segs[i] in cur.children:
        cur = cur.children[segs[i]]
        i += 1
    return cur


def import_graph(root_file, strict=False):
    root, modules, files = build_tree(root_file)
    by_file = {}
    for m in modules:
        by_file.setdefault(m.file, []).append(m)
    edges = {f: set() for f in files}
    for file, (raw, text) in files.items():
        mods = by_file[file]
        found = []
        for m in USE_RE.finditer(text):
            for segs in expand_use(m.group(1)):
                found.append((m.start(), segs))
        for m in PATH_RE.finditer(text):
            found.append((m.start(), tuple(s.strip() for s in m.group(1).split("::"))))
        for mod in mods:
            for name in mod.children:
                for m in re.finditer(r"(?<![\w:])" + re.escape(name) + r"\s*::\s*\w+", text):
                    if mod.span is None or mod.span[0] <= m.start() <= mod.span[1]:
                        found.append((m.start(), tuple(s.strip() for s in m.group(0).split("::"))))
        for offset, segs in found:
            here = module_at(mods, offset)
            target = resolve(segs, here, root)
            if target is not None and target.file != file and target.file in files:
                edges[file].add(target.file)
    if not strict:
        path_of = {m.file: m.path for m in modules if m.span is None}
        nested = lambda a, b: path_of[a][: len(path_of[b])] == path_of[b]
        edges = {f: {t for t in ts if not nested(f, t) and not nested(t, f)} for f, ts in edges.items()}
    return edges


def cycles(edges):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def crate_roots():
    text = open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8").read()
    m = re.search(r"members\s*=\s*\[([^\]]*)\]", text)
    members = re.findall(r'"([^"]+)"', m.group(1)) if m else []
    roots = []
    for member in members:
        src = os.path.join(ROOT, member, "src")
        for name in ("lib.rs", "main.rs"):
            if os.path.exists(os.path.join(src, name)):
                roots.append((member, os.path.join(src, name)))
        bins = os.path.join(src, "bin")
        if os.path.isdir(bins):
            roots.extend((member, os.path.join(bins, f)) for f in sorted(os.listdir(bins)) if f.endswith(".rs"))
    return roots


def self_test():
    """The checker finds a cycle between siblings, ignores one through a comment or a string, and
    counts a parent-child cycle only when strict. Fails loudly if it does not."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        files = {
            "lib.rs": "mod a;\nmod b;\nmod p;\nmod q;\n",
            "a.rs": "use crate::b::f;\n/* crate::p::h */\npub fn g() {}\n",
            "b.rs": "pub fn f() { super::a::g() }\n",
            "p/mod.rs": "mod c;\npub struct T;\npub fn h() { c::k(); crate::a::g(); let _ = \"crate::q::z\"; }\n",
            "p/c.rs": "use super::T;\npub fn k() {}\n",
            "q.rs": "// the comment and the string above would make cycles a-p and p-q\npub fn z() { crate::p::h() }\n",
        }
        for name, text in files.items():
            os.makedirs(os.path.join(d, os.path.dirname(name)), exist_ok=True)
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
        root = os.path.join(d, "lib.rs")
        loose = [sorted(os.path.relpath(f, d) for f in c) for c in cycles(import_graph(root))]
        strict = [sorted(os.path.relpath(f, d) for f in c) for c in cycles(import_graph(root, strict=True))]
        assert loose == [["a.rs", "b.rs"]], loose
        assert sorted(strict) == [["a.rs", "b.rs"], ["p/c.rs", "p/mod.rs"]], strict


def main():
    self_test()
    args = sys.argv[1:]
    show = "--edges" in args
    strict = set(args[args.index("--strict") + 1 :]) if "--strict" in args else set()
    status = 0
    seen_known = set()
    for member, root_file in crate_roots():
        rel = lambda p: os.path.relpath(p, ROOT)
        edges = import_graph(root_file, strict=member in strict)
        if show:
            for f in sorted(edges):
                for t in sorted(edges[f]):
                    print(f"{rel(f)} -> {rel(t)}")
        n_edges = sum(len(v) for v in edges.values())
        found, n_known = [], 0
        for comp in cycles(edges):
            names = frozenset(rel(f) for f in comp)
            known = next((why for k, why in KNOWN_CYCLES.items() if names <= k), None)
            seen_known.update(k for k in KNOWN_CYCLES if names <= k)
            if known:
                n_known += 1
                print(f"note: {rel(root_file)}: known import cycle among {len(comp)} files ({known})")
            else:
                found.append(comp)
        if found:
            status = 1
            for comp in found:
                print(f"error: {rel(root_file)}: import cycle among {len(comp)} files:")
                for f in comp:
                    inside = sorted(rel(t) for t in edges[f] if t in comp)
                    print(f"    {rel(f)} imports {', '.join(inside)}")
        else:
            mode = "no cycle, counting parent-child imports too" if member in strict else "no cycle"
            mode = mode.replace("no cycle", "no other cycle") if n_known else mode
            print(f"ok: {rel(root_file)}: {len(edges)} files, {n_edges} imports, {mode}")
    for k in KNOWN_CYCLES:
        if k not in seen_known:
            print(f"note: the known cycle among {', '.join(sorted(k))} is gone: delete it from KNOWN_CYCLES")
    return status


if __name__ == "__main__":
    sys.exit(main())
