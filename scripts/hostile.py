#!/usr/bin/env python3
"""Hostile inputs from outside the test suite (issue 18's acceptance): generates bad designs,
scenarios, plans, policies, price snapshots, imported templates, drill results, option values,
environments and output paths, runs `meridian` on each under `prlimit --as=1GiB` and
`timeout 60`, and records the exit code, whether the message is located (file and line, or the
option), whether control characters reached the terminal unescaped, and the peak memory.

    python3 scripts/hostile.py [--bin target/debug/meridian] [--only SUBSTRING] [--keep]

Prints one line per input and a summary by kind; exits 1 when any input fails. Must run from the
workspace root. Scratch files go to a temporary folder that is removed at the end (--keep keeps
it). Cases that need root (device nodes, a small tmpfs) are skipped when not run as root.
"""

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

MEM_LIMIT = 1 << 30
TIMEOUT = 60

BASE = "examples/multi-az-single-region.ron"
SCEN = 'Scenario(name: "s", horizon: "1d", runs: 2, seed: 1)\n'
PLAN = 'Plan(name: "p", designs: ["d.ron"], scenarios: ["region-outage"], runs: 2)\n'
POLICY = """Policy(id: "mine", name: "Mine", description: "d", rules: [
    Rule(id: "inv", description: "d", kind: Inventory(classes: ["personal:US*"])),
])
"""


class Case:
    def __init__(self, kind, name, args, code=2, where=None, files=None, env=None, setup=None,
                 stdin=None, after=None, root=False, fsize=None):
        self.kind, self.name, self.args, self.code = kind, name, args, code
        # `where`: a regex stderr must match (file:line:col, or the option); None: no check.
        self.where, self.files, self.env = where, files or {}, env or {}
        self.setup, self.stdin, self.after, self.root = setup, stdin, after, root
        self.fsize = fsize


CASES = []


def case(*a, **k):
    CASES.append(Case(*a, **k))


def base_design():
    with open(BASE, encoding="utf-8") as f:
        return f.read()


def mutate(old, new, text=None):
    text = base_design() if text is None else text
    assert old in text, old
    return text.replace(old, new, 1)


def loc(name):
    """A located message: `NAME:LINE:COL`, `NAME:LINE`, or `NAME: ` for a whole-file error
    (too big, not a regular file)."""
    return re.escape(name) + r"(:\d+(:\d+)?)?: "


# ---------------------------------------------------------------- designs
def designs():
    d = base_design()
    b = d.encode()
    K = "design"
    for frac in (0.1, 0.37, 0.5, 0.93, 0.999):
        case(K, f"truncated at {frac}", ["validate", "{T}/d.ron"], files={"d.ron": b[: int(len(b) * frac)]},
             where=loc("d.ron"))
    case(K, "utf-16le with bom", ["validate", "{T}/d.ron"], files={"d.ron": d.encode("utf-16")}, where=loc("d.ron"))
    case(K, "utf-16be no bom", ["validate", "{T}/d.ron"], files={"d.ron": d.encode("utf-16-be")}, where=loc("d.ron"))
    case(K, "utf-32", ["validate", "{T}/d.ron"], files={"d.ron": d.encode("utf-32")}, where=loc("d.ron"))
    case(K, "bom + crlf is accepted", ["validate", "{T}/d.ron"], code=0,
         files={"d.ron": b"\xef\xbb\xbf" + d.replace("\n", "\r\n").encode()})
    case(K, "lone CR line ends (a comment runs to the end)", ["validate", "{T}/d.ron"], where=loc("d.ron"), files={"d.ron": d.replace("\n", "\r").encode()})
    case(K, "two boms", ["validate", "{T}/d.ron"], files={"d.ron": b"\xef\xbb\xbf\xef\xbb\xbf" + b}, where=loc("d.ron"))
    case(K, "NUL in the middle", ["validate", "{T}/d.ron"], files={"d.ron": b[:900] + b"\0" + b[900:]}, where=loc("d.ron"))
    case(K, "NUL in an id", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api"', 'id: "a\\u{0}pi"').encode()},
         where=loc("d.ron"))
    case(K, "raw NUL in a name", ["validate", "{T}/d.ron"], files={"d.ron": mutate('"Orders API"', '"Ord\0ers"').encode()},
         where=loc("d.ron"))
    case(K, "C1 CSI in a name", ["info", "{T}/d.ron"], files={"d.ron": mutate('"Orders API"', '"Or\u009b2Jders"').encode()},
         where=loc("d.ron"))
    case(K, "RTL override in a name", ["info", "{T}/d.ron"],
         files={"d.ron": mutate('"Orders API"', '"Or\u202eders"').encode()}, where=loc("d.ron"))
    case(K, "RTL override in description", ["info", "{T}/d.ron"],
         files={"d.ron": mutate('description: "', 'description: "\u202e\u2066').encode()}, where=loc("d.ron"))
    case(K, "ANSI in description", ["info", "{T}/d.ron"],
         files={"d.ron": mutate('description: "', 'description: "\x1b]0;pwned\x07\x1b[2J').encode()}, where=loc("d.ron"))
    case(K, "ANSI in a tag value", ["cost", "{T}/d.ron"],
         files={"d.ron": mutate('"team": "orders"', '"team": "\x1b[31mred"').encode()}, where=loc("d.ron"))
    case(K, "ANSI in a data class", ["check", "{T}/d.ron"],
         files={"d.ron": mutate('"personal:EU",', '"personal:\x1b[2JEU",').encode()}, where=loc("d.ron"))
    case(K, "escaped ANSI in a region id", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('id: "us-east-1"', 'id: "us-east-1\\u{1b}[2J"').encode()}, where=loc("d.ron"))
    case(K, "cyrillic confusable id", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api"', 'id: "\u0430pi"').encode()},
         where=loc("d.ron"))
    case(K, "zero-width space id", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api"', 'id: "api\u200b"').encode()},
         where=loc("d.ron"))
    case(K, "id ..", ["validate", "{T}/d.ron"], code=0, files={"d.ron": mutate('id: "api"', 'id: ".."').replace('"api"', '".."')
                                                                         .replace('from: "api"', 'from: ".."').encode()})
    case(K, "empty id", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api"', 'id: ""').encode()}, where=loc("d.ron"))
    case(K, "id with slash", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api"', 'id: "../../etc/passwd"').encode()},
         where=loc("d.ron"))
    case(K, "id with space", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api"', 'id: "a pi"').encode()},
         where=loc("d.ron"))
    case(K, "duplicate population id", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('id: "na-users"', 'id: "eu-users"').encode()}, where=loc("d.ron"))
    case(K, "duplicate link id", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "api-cache"', 'id: "alb-api"').encode()},
         where=loc("d.ron"))
    case(K, "link id equals a service id", ["validate", "{T}/d.ron"], code=None,
         files={"d.ron": mutate('id: "api-cache"', 'id: "api"').encode()})
    case(K, "duplicate region", ["validate", "{T}/d.ron"], files={"d.ron": mutate('id: "us-west-2"', 'id: "us-east-1"').encode()},
         where=loc("d.ron"))
    case(K, "duplicate az", ["validate", "{T}/d.ron"], files={"d.ron": mutate('"use1-az2"', '"use1-az1"').encode()},
         where=loc("d.ron"))
    case(K, "duplicate tag key", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('"team": "platform",', '"team": "platform", "team": "x",').encode()}, where=loc("d.ron"))
    case(K, "version as string", ["validate", "{T}/d.ron"], files={"d.ron": mutate("version: 2", 'version: "2"').encode()},
         where=loc("d.ron"))
    case(K, "version 0", ["validate", "{T}/d.ron"], files={"d.ron": mutate("version: 2", "version: 0").encode()}, where=loc("d.ron"))
    case(K, "version -1", ["validate", "{T}/d.ron"], files={"d.ron": mutate("version: 2", "version: -1").encode()}, where=loc("d.ron"))
    case(K, "version 2^70", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("version: 2", "version: 1180591620717411303424").encode()}, where=loc("d.ron"))
    case(K, "name as number", ["validate", "{T}/d.ron"], files={"d.ron": mutate('name: "Multi', 'name: 5, x: "Multi').encode()},
         where=loc("d.ron"))
    case(K, "count -1", ["validate", "{T}/d.ron"], files={"d.ron": mutate("count: 9", "count: -1").encode()}, where=loc("d.ron"))
    case(K, "count 1.5", ["validate", "{T}/d.ron"], files={"d.ron": mutate("count: 9", "count: 1.5").encode()}, where=loc("d.ron"))
    # count 0 is a service switched off: a located warning, exit 0
    case(K, "count 0", ["validate", "{T}/d.ron"], code=0, files={"d.ron": mutate("count: 9", "count: 0").encode()})
    case(K, "count 1e3", ["validate", "{T}/d.ron"], files={"d.ron": mutate("count: 9", "count: 1e3").encode()}, where=loc("d.ron"))
    case(K, "count 0x10", ["validate", "{T}/d.ron"], code=None, files={"d.ron": mutate("count: 9", "count: 0x10").encode()})
    case(K, "vcpu NaN", ["validate", "{T}/d.ron"], files={"d.ron": mutate("vcpu: 1.0", "vcpu: NaN").encode()}, where=loc("d.ron"))
    case(K, "vcpu 0", ["validate", "{T}/d.ron"], code=None, files={"d.ron": mutate("vcpu: 1.0", "vcpu: 0.0").encode()})
    case(K, "memory -inf", ["validate", "{T}/d.ron"], files={"d.ron": mutate("memory_gib: 2.0", "memory_gib: -inf").encode()},
         where=loc("d.ron"))
    case(K, "storage 1e308", ["cost", "{T}/d.ron"], code=None,
         files={"d.ron": mutate("storage_gb: 500.0", "storage_gb: 1e308").encode()})
    case(K, "storage -0.0", ["validate", "{T}/d.ron"], code=None,
         files={"d.ron": mutate("storage_gb: 500.0", "storage_gb: -0.0").encode()})
    case(K, "hours_per_month 1e300", ["cost", "{T}/d.ron"],
         files={"d.ron": mutate("hours_per_month: 730.0", "hours_per_month: 1e300").encode()}, where=loc("d.ron"))
    case(K, "hours_per_month 0", ["cost", "{T}/d.ron"],
         files={"d.ron": mutate("hours_per_month: 730.0", "hours_per_month: 0.0").encode()}, where=loc("d.ron"))
    case(K, "growth 1e308", ["cost", "{T}/d.ron", "--months", "120"],
         files={"d.ron": mutate("growth_percent_per_month: 0.0", "growth_percent_per_month: 1e308").encode()}, where=loc("d.ron"))
    case(K, "growth -100 (the documented lower bound)", ["cost", "{T}/d.ron", "--months", "12"], code=0,
         files={"d.ron": mutate("growth_percent_per_month: 0.0", "growth_percent_per_month: -100.0").encode()},
         where=loc("d.ron"))
    case(K, "peak_to_average 0", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("peak_to_average: 2.5", "peak_to_average: 0.0").encode()}, where=loc("d.ron"))
    case(K, "item_kb NaN", ["validate", "{T}/d.ron"], files={"d.ron": mutate("item_kb: 2.0", "item_kb: NaN").encode()},
         where=loc("d.ron"))
    case(K, "lat 1000", ["validate", "{T}/d.ron"], files={"d.ron": mutate("lat: 50.1", "lat: 1000.0").encode()}, where=loc("d.ron"))
    case(K, "lon -inf", ["validate", "{T}/d.ron"], files={"d.ron": mutate("lon: 8.7", "lon: -inf").encode()}, where=loc("d.ron"))
    case(K, "write_fraction 1.0000001", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("write_fraction: 0.15", "write_fraction: 1.0000001").encode()}, where=loc("d.ron"))
    case(K, "response_kb 1e400", ["validate", "{T}/d.ron"], files={"d.ron": mutate("response_kb: 24.0", "response_kb: 1e400").encode()},
         where=loc("d.ron"))
    case(K, "calls_per_request 1e9", ["simulate", "{T}/d.ron", "--runs", "1", "--horizon", "1h"],
         files={"d.ron": mutate("calls_per_request: 2.0", "calls_per_request: 1e9").encode()}, where=loc("d.ron"))
    case(K, "calls_per_request NaN", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("calls_per_request: 2.0", "calls_per_request: NaN").encode()}, where=loc("d.ron"))
    case(K, "weight 2^40", ["validate", "{T}/d.ron"], files={"d.ron": mutate("weight: 1", "weight: 1099511627776").encode()},
         where=loc("d.ron"))
    case(K, "failure_threshold 0", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("failure_threshold: 2", "failure_threshold: 0").encode()}, where=loc("d.ron"))
    case(K, "failure_threshold 4e9", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("failure_threshold: 2", "failure_threshold: 4000000000").encode()}, where=loc("d.ron"))
    for span in ("0s", "-10s", "1e400s", "NaNs", "10xs", "", "99999999999999999999y", "\u0661s", "10s\x00"):
        case(K, f"health-check interval {span!r}", ["validate", "{T}/d.ron"],
             files={"d.ron": mutate('interval: "10s"', f'interval: "{span}"').encode()}, where=loc("d.ron"))
    case(K, "ttl 0s", ["validate", "{T}/d.ron"], code=None, files={"d.ron": mutate('ttl: "1m"', 'ttl: "0s"').encode()})
    case(K, "ttl 100000y", ["simulate", "{T}/d.ron", "--runs", "1", "--horizon", "1d"], code=None,
         files={"d.ron": mutate('ttl: "1m"', 'ttl: "100000y"').encode()}, where=loc("d.ron"))
    case(K, "backup every 0s", ["simulate", "{T}/d.ron", "--runs", "1", "--horizon", "1d"],
         files={"d.ron": mutate('every: "1h"', 'every: "0s"').encode()}, where=loc("d.ron"))
    case(K, "backup every 1us", ["simulate", "{T}/d.ron", "--runs", "1", "--horizon", "30d"], code=None,
         files={"d.ron": mutate('every: "1h"', 'every: "1us"').encode()}, where=loc("d.ron"))
    case(K, "restore_time 0s", ["validate", "{T}/d.ron"], code=None,
         files={"d.ron": mutate('restore_time: "4h"', 'restore_time: "0s"').encode()})
    fail = '}},\n            failure: (time_to_failure: {ttf}, time_to_repair: {ttr}),\n'
    for ttf, ttr, what in (
        ('Exponential(mean: "1m")', 'Fixed(value: "0s")', "repair 0s"),
        ('Exponential(mean: "1m")', 'Exponential(mean: "0s")', "repair exp 0s"),
        ('Weibull(shape: 0.0, scale: "1h")', 'Fixed(value: "1m")', "weibull shape 0"),
        ('Weibull(shape: 1e-300, scale: "1h")', 'Fixed(value: "1m")', "weibull shape 1e-300"),
        ('Weibull(shape: 1e300, scale: "1h")', 'Fixed(value: "1m")', "weibull shape 1e300"),
        ('Weibull(shape: 1.0, scale: "1us")', 'Fixed(value: "1m")', "weibull scale 1us"),
        ('LogNormal(median: "1h", sigma: 1e300)', 'Fixed(value: "1m")', "lognormal sigma 1e300"),
        ('LogNormal(median: "1h", sigma: -1.0)', 'Fixed(value: "1m")', "lognormal sigma -1"),
        ('LogNormal(median: "1us", sigma: 50.0)', 'Fixed(value: "1m")', "lognormal median 1us sigma 50"),
        ('Exponential(mean: "59s")', 'Fixed(value: "1m")', "ttf 59s"),
        ('Fixed(value: "1m")', 'Fixed(value: "100000y")', "repair 100000y"),
    ):
        text = mutate("                count: 9,\n", "                count: 9,\n")
        text = text.replace('            tags: {\n                "environment": "prod",\n                "team": "orders",\n            },\n            data_classes',
                            '            failure: (time_to_failure: ' + ttf + ', time_to_repair: ' + ttr + '),\n            data_classes', 1)
        # what is refused is refused located; what runs must end in time and memory
        case(K, f"failure {what}", ["simulate", "{T}/d.ron", "--runs", "1", "--horizon", "30d"], files={"d.ron": text.encode()},
             where=loc("d.ron"), code=None)
    deep = "Design(version: 2, name: \"x\", regions: " + "[" * 5000 + "]" * 5000 + ")\n"
    case(K, "5000 nested brackets", ["validate", "{T}/d.ron"], files={"d.ron": deep.encode()}, where=loc("d.ron"))
    deep = "Design(version: 2, name: \"x\", description: Some(" + "Some(" * 3000 + '"x"' + ")" * 3001 + ")\n"
    case(K, "3000 nested Some(", ["validate", "{T}/d.ron"], files={"d.ron": deep.encode()}, where=loc("d.ron"))
    deep = "Design(version: 2, name: \"x\", tags: " + "{\"a\": " * 2000 + "1" + "}" * 2000 + ")\n"
    case(K, "2000 nested maps", ["validate", "{T}/d.ron"], files={"d.ron": deep.encode()}, where=loc("d.ron"))
    case(K, "brackets in a comment do not count", ["validate", "{T}/d.ron"], code=0,
         files={"d.ron": ("// " + "[" * 100 + "\n/* " + "(" * 100 + " */\n" + d).encode()})
    case(K, "brackets in a string do not count", ["validate", "{T}/d.ron"], code=0,
         files={"d.ron": mutate('description: "', 'description: "' + "[" * 100).encode()})
    case(K, "unterminated block comment", ["validate", "{T}/d.ron"], files={"d.ron": (d + "/* never closed").encode()},
         where=loc("d.ron"))
    case(K, "nested block comments 5000 deep", ["validate", "{T}/d.ron"],
         files={"d.ron": ("/*" * 5000 + "*/" * 5000 + "\n" + d).encode()}, where=None, code=None)
    case(K, "unterminated string", ["validate", "{T}/d.ron"], files={"d.ron": mutate('name: "Multi', 'name: "Multi\\').encode()[:600]},
         where=loc("d.ron"))
    case(K, "raw string r###", ["validate", "{T}/d.ron"], code=None,
         files={"d.ron": mutate('name: "Multi-AZ, single region"', 'name: r###"x"###').encode()})
    case(K, "15 MB comment (under the size limit)", ["validate", "{T}/d.ron"], code=0,
         files={"d.ron": ("// " + "x" * (15 << 20) + "\n" + d).encode()})
    case(K, "17 MB file", ["validate", "{T}/d.ron"], files={"d.ron": (d + "//" + "x" * (17 << 20)).encode()}, where=r"d\.ron")
    case(K, "1 MB name", ["validate", "{T}/d.ron"], files={"d.ron": mutate('"Orders API"', '"' + "n" * (1 << 20) + '"').encode()},
         where=loc("d.ron"))
    case(K, "12 MB description", ["info", "{T}/d.ron"],
         files={"d.ron": mutate('description: "', 'description: "' + "x" * (12 << 20)).encode()}, where=loc("d.ron"))
    case(K, "10000-char tag key", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('"team": "orders"', '"' + "k" * 10000 + '": "orders"').encode()}, where=loc("d.ron"))
    case(K, "200k tags on a service", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('"team": "orders",', "".join(f'"t{i}": "v",' for i in range(200000))).encode()},
         where=loc("d.ron"))
    case(K, "100k data classes", ["check", "{T}/d.ron"], where=loc("d.ron"),
         files={"d.ron": mutate('"personal:US",\n                "personal:EU",',
                                "".join(f'"c{i}:x",' for i in range(100000))).encode()})
    svc = ('Service(id: "s{i}", name: "S", kind: "dynamodb", placement: Region("us-east-1"), '
           'config: ServiceConfig(count: 1)),\n')
    many = mutate("    services: [\n", "    services: [\n" + "".join(svc.format(i=i) for i in range(100001)))
    case(K, "100001 services", ["validate", "{T}/d.ron"], files={"d.ron": many.encode()}, code=None)
    case(K, "unknown enum variant", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate("placement: Global", "placement: Everywhere").encode()}, where=loc("d.ron"))
    case(K, "placement Az unknown", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('placement: Region("us-east-1"),\n            config: ServiceConfig(\n                count: 9',
                                'placement: Az("use1-az9"),\n            config: ServiceConfig(\n                count: 9').encode()},
         where=loc("d.ron"))
    case(K, "link to itself", ["validate", "{T}/d.ron"],
         files={"d.ron": mutate('from: "api",\n            to: "cache"', 'from: "api",\n            to: "api"').encode()},
         where=loc("d.ron"))
    case(K, "dependency cycle", ["simulate", "{T}/d.ron", "--runs", "1", "--horizon", "1h"], code=None,
         files={"d.ron": mutate('from: "api",\n            to: "cache"', 'from: "db",\n            to: "api"').encode()})
    case(K, "population entry missing", ["validate", "{T}/d.ron"], files={"d.ron": mutate('entry: "dns"', 'entry: "nope"').encode()},
         where=loc("d.ron"))
    case(K, "version 1 file with version 2 fields", ["validate", "{T}/d.ron"], code=None,
         files={"d.ron": mutate("version: 2", "version: 1").encode()})
    case(K, "missing version", ["validate", "{T}/d.ron"], files={"d.ron": mutate("    version: 2,\n", "").encode()}, code=None)
    case(K, "JSON instead of RON", ["validate", "{T}/d.ron"], files={"d.ron": b'{"version": 2, "name": "x"}'}, where=loc("d.ron"))
    case(K, "a PNG", ["validate", "{T}/d.ron"], files={"d.ron": b"\x89PNG\r\n\x1a\n" + os.urandom(2000)}, where=loc("d.ron"))
    case(K, "random bytes", ["validate", "{T}/d.ron"], files={"d.ron": bytes(range(256)) * 8}, where=loc("d.ron"))
    case(K, "file name with ANSI", ["validate", "{T}/\x1b[2Jd.ron"], files={"\x1b[2Jd.ron": b"Design("}, where=r"d\.ron:\d+")
    case(K, "file name with newline", ["validate", "{T}/a\nb.ron"], files={"a\nb.ron": b"Design("}, where=r"b\.ron:\d+")
    case(K, "missing file", ["validate", "{T}/nope.ron"], where=r"nope\.ron")
    case(K, "directory", ["validate", "{T}"], where=None)
    case(K, "FIFO", ["validate", "{T}/fifo"], setup=lambda t: os.mkfifo(f"{t}/fifo"), where=r"fifo")
    case(K, "FIFO to simulate", ["simulate", "{T}/fifo"], setup=lambda t: os.mkfifo(f"{t}/fifo"), where=r"fifo")
    case(K, "/dev/zero to info", ["info", "/dev/zero"], where=r"/dev/zero")
    case(K, "/dev/urandom to export", ["export", "/dev/urandom", "--format", "terraform", "--out", "{T}/tf"],
         where=r"/dev/urandom")
    case(K, "/dev/null", ["validate", "/dev/null"], where=r"/dev/null")
    case(K, "/proc/self/environ (size 0, has text)", ["validate", "/proc/self/environ"], where=r"environ")
    case(K, "/proc/kcore", ["validate", "/proc/kcore"], where=r"kcore")
    case(K, "symlink loop", ["validate", "{T}/loop"], setup=lambda t: (os.symlink(f"{t}/loop2", f"{t}/loop"),
                                                                      os.symlink(f"{t}/loop", f"{t}/loop2")), where=r"loop")
    case(K, "symlink to /dev/zero", ["fmt", "{T}/z.ron"], setup=lambda t: os.symlink("/dev/zero", f"{t}/z.ron"), where=r"z\.ron")
    case(K, "unreadable file (root reads it anyway)", ["validate", "{T}/d.ron"], code=0, files={"d.ron": b},
         setup=lambda t: os.chmod(f"{t}/d.ron", 0))
    case(K, "fmt on a symlink to a FIFO", ["fmt", "{T}/l.ron"],
         setup=lambda t: (os.mkfifo(f"{t}/f"), os.symlink(f"{t}/f", f"{t}/l.ron")), where=r"l\.ron")
    case(K, "diff against /dev/zero", ["diff", BASE, "/dev/zero"], where=r"/dev/zero")
    case(K, "compare with a FIFO", ["compare", BASE, "{T}/f"], setup=lambda t: os.mkfifo(f"{t}/f"), where=r"\bf\b")
    case(K, "variants of a truncated design", ["variants", "{T}/d.ron", "--out", "{T}/v"],
         files={"d.ron": b[: len(b) // 2]}, where=loc("d.ron"))
    case(K, "export-picture of a design with NaN", ["export-picture", "{T}/d.ron", "--out", "{T}/p.svg"],
         files={"d.ron": mutate("lat: 50.1", "lat: NaN").encode()}, where=loc("d.ron"))
    case(K, "report of a design with bad span", ["report", "{T}/d.ron", "--out", "{T}/r.html"],
         files={"d.ron": mutate('every: "1h"', 'every: "1h30"').encode()}, where=loc("d.ron"))


# ---------------------------------------------------------------- scenarios
def scenarios():
    K = "scenario"
    sim = ["simulate", BASE, "--scenario", "{T}/s.ron"]

    def sc(name, text, code=2, where="default", args=None):
        case(K, name, args or sim, code=code, files={"s.ron": text.encode() if isinstance(text, str) else text},
             where=loc("s.ron") if where == "default" else where)

    sc("truncated", SCEN[:20])
    sc("utf-16", SCEN.encode("utf-16"))
    sc("horizon 1e20y", SCEN.replace('"1d"', '"1e20y"'))
    sc("horizon 100001y", SCEN.replace('"1d"', '"100001y"'))
    sc("horizon -1s", SCEN.replace('"1d"', '"-1s"'))
    sc("horizon 1us", SCEN.replace('"1d"', '"1us"'), code=None, where=None)
    sc("horizon missing", 'Scenario(name: "s")')
    sc("runs 0", SCEN.replace("runs: 2", "runs: 0"))
    sc("runs -1", SCEN.replace("runs: 2", "runs: -1"))
    sc("runs 2^32", SCEN.replace("runs: 2", "runs: 4294967296"))
    sc("runs 10000 x 11y (over the run-years budget)", SCEN.replace("runs: 2", "runs: 10000").replace('"1d"', '"11y"'))
    sc("seed -1", SCEN.replace("seed: 1", "seed: -1"))
    sc("seed 2^64", SCEN.replace("seed: 1", "seed: 18446744073709551616"))
    sc("seed 1.5", SCEN.replace("seed: 1", "seed: 1.5"))
    inj = 'Scenario(name: "s", horizon: "1d", runs: 1, injections: [{}])'
    sc("injection after the horizon", inj.format('Injection(target: Region("us-east-1"), at: "2d", duration: "1h")'),
       code=None, where=None)
    sc("injection at -1h", inj.format('Injection(target: Region("us-east-1"), at: "-1h", duration: "1h")'))
    sc("injection duration 0s", inj.format('Injection(target: Region("us-east-1"), at: "1h", duration: "0s")'))
    sc("injection duration 100000y", inj.format('Injection(target: Region("us-east-1"), at: "1h", duration: "100000y"),'),
       code=None, where=None)
    sc("injection to unknown service", inj.format('Injection(target: Service("nope"), at: "1h", duration: "1h")'))
    sc("injection to unknown region", inj.format('Injection(target: Region("xx-east-9"), at: "1h", duration: "1h")'))
    sc("injection to unknown az", inj.format('Injection(target: Az("use1-az9"), at: "1h", duration: "1h")'))
    sc("partition with itself", inj.format('Injection(target: Partition("us-east-1", "us-east-1"), at: "1h", duration: "1h")'))
    sc("injection ANSI target", inj.format('Injection(target: Service("\x1b[2Jx"), at: "1h", duration: "1h")'))
    sc("injection Instances target", inj.format('Injection(target: Instances("api"), at: "1h", duration: "1h")'))
    sc("60000 injections", inj.format("".join('Injection(target: Service("api"), at: "1h", duration: "1m"),' for _ in range(60000))),
       code=None, where=None)
    sc("14000 overlapping injections", inj.format("".join(f'Injection(target: Service("api"), at: "{i}s", duration: "20h"),'
                                                         for i in range(14000))), code=None, where=None)
    fo = ('Scenario(name: "s", horizon: "30d", runs: 1, failure_overrides: [FailureOverride(target: {t}, '
          'spec: FailureSpec(time_to_failure: {ttf}, time_to_repair: Fixed(value: "1m")))])')
    sc("override ttf Fixed 0s", fo.format(t='Service("api")', ttf='Fixed(value: "0s")'))
    sc("override ttf exp 1us", fo.format(t='Service("api")', ttf='Exponential(mean: "1us")'))
    sc("override ttf weibull scale 0s", fo.format(t='Service("api")', ttf='Weibull(shape: 1.0, scale: "0s")'))
    sc("override ttf weibull shape 1e-9", fo.format(t='Instances("api")', ttf='Weibull(shape: 1e-9, scale: "1h")'))
    sc("override ttf lognormal huge sigma", code=None, where=None, text= fo.format(t='Instances("api")', ttf='LogNormal(median: "1m", sigma: 1e10)'))
    sc("override on unknown service", fo.format(t='Service("nope")', ttf='Fixed(value: "1h")'))
    sc("override on partition", fo.format(t='Partition("us-east-1", "us-west-2")', ttf='Exponential(mean: "1m")'),
       code=None, where=None)
    tr = 'Scenario(name: "s", horizon: "1d", runs: 1, traffic: [TrafficOverride(population: {p}, requests_per_sec: {r}, write_fraction: {w})])'
    sc("traffic unknown population", tr.format(p='"nope"', r="1.0", w="0.1"))
    sc("traffic -0.0", tr.format(p='"eu-users"', r="-0.0", w="0.1"), code=None, where=None)
    sc("traffic write_fraction 2", tr.format(p='"eu-users"', r="1.0", w="2.0"))
    sc("traffic 1e-320 (subnormal)", tr.format(p='"eu-users"', r="1e-320", w="0.1"), code=None, where=None)
    sc("name 1 MB", 'Scenario(name: "' + "x" * (1 << 20) + '", horizon: "1d")')
    sc("name with RTL", 'Scenario(name: "\u202eevil", horizon: "1d")')
    sc("1.5 MB file", SCEN + "//" + "x" * 1_500_000, where=r"s\.ron")
    sc("deep nesting", 'Scenario(name: "s", horizon: "1d", injections: ' + "[" * 3000 + "]" * 3000 + ")")
    sc("a design given as scenario", open(BASE, encoding="utf-8").read())
    sc("empty scenario name", 'Scenario(name: "", horizon: "1d")', code=None, where=None)
    sc("random_failures unknown field", 'Scenario(name: "s", horizon: "1d", random_failures: (meteors: true))')
    sc("instant_failover as string", 'Scenario(name: "s", horizon: "1d", instant_failover: "yes")')
    case(K, "scenario /dev/zero", ["simulate", BASE, "--scenario", "/dev/zero"], where=r"/dev/zero")
    case(K, "scenario FIFO", ["simulate", BASE, "--scenario", "{T}/f.ron"], setup=lambda t: os.mkfifo(f"{t}/f.ron"),
         where=r"f\.ron")
    case(K, "scenario folder", ["simulate", BASE, "--scenario", "{T}/"], where=None)
    case(K, "scenario name with ANSI", ["simulate", BASE, "--scenario", "\x1b[2Jregion-outage"], where=r"scenario")
    case(K, "scenario empty name", ["simulate", BASE, "--scenario", ""], where=r"scenario")
    case(K, "scenario to export-experiments", ["export-experiments", BASE, "--scenario", "{T}/s.ron", "--format",
                                               "cloudformation", "--out", "{T}/fis"],
         files={"s.ron": 'Scenario(name: "s", horizon: "1d", injections: [Injection(target: Az("nope"), at: "1h", duration: "1h")])'.encode()},
         where=loc("s.ron"))
    case(K, "scenario for compare: runs x horizon", ["compare", BASE, BASE, "--scenario", "{T}/s.ron"],
         files={"s.ron": b'Scenario(name: "s", horizon: "100000y", runs: 2)'}, where=loc("s.ron"))


# ---------------------------------------------------------------- plans
def plans():
    K = "plan"
    d = base_design().encode()

    def pl(name, text, code=2, where="default", files=None, setup=None, extra=()):
        fs = {"p/d.ron": d}
        fs.update(files or {})
        fs["p/plan.ron"] = text.encode() if isinstance(text, str) else text
        case(K, name, ["batch", "{T}/p/plan.ron", "--out", "{T}/out", *extra], code=code, files=fs, setup=setup,
             where=loc("plan.ron") if where == "default" else where)

    pl("truncated", PLAN[:30])
    pl("runs 0", PLAN.replace("runs: 2", "runs: 0"))
    pl("runs 2^40", PLAN.replace("runs: 2", "runs: 1099511627776"))
    pl("glob [", PLAN.replace('["d.ron"]', '["[.ron"]'))
    pl("glob **/../*", PLAN.replace('["d.ron"]', '["**/../*.ron"]'))
    pl("glob with NUL", PLAN.replace('["d.ron"]', '["d\\u{0}.ron"]'))
    pl("glob ANSI", PLAN.replace('["d.ron"]', '["\\u{1b}[2Jd.ron"]'))
    pl("design is a FIFO", PLAN.replace('["d.ron"]', '["f.ron"]'), setup=lambda t: os.mkfifo(f"{t}/p/f.ron"),
       where=r"f\.ron")
    pl("design symlink to /dev/zero", PLAN.replace('["d.ron"]', '["z.ron"]'),
       setup=lambda t: os.symlink("/dev/zero", f"{t}/p/z.ron"), where=r"z\.ron")
    pl("design symlink out of the folder", PLAN.replace('["d.ron"]', '["out.ron"]'),
       setup=lambda t: os.symlink(os.path.abspath(BASE), f"{t}/p/out.ron"), where=r"out\.ron")
    pl("design symlink loop", PLAN.replace('["d.ron"]', '["l.ron"]'),
       setup=lambda t: os.symlink(f"{t}/p/l.ron", f"{t}/p/l.ron"), where=r"l\.ron")
    pl("design folder matched by glob", PLAN.replace('["d.ron"]', '["*"]'),
       setup=lambda t: os.makedirs(f"{t}/p/sub.ron"), code=None, where=None)
    pl("duplicate designs", PLAN.replace('["d.ron"]', '["d.ron", "d.ron"]'), code=None, where=None)
    pl("unknown scenario", PLAN.replace('["region-outage"]', '["meteor"]'))
    pl("scenario path ..", PLAN.replace('["region-outage"]', '["../s.ron"]'))
    pl("scenario absolute", PLAN.replace('["region-outage"]', '["/etc/passwd"]'))
    pl("scenario file bad", PLAN.replace('["region-outage"]', '["s.ron"]'), files={"p/s.ron": b"Scenario(horizon: 5)"},
       where=loc("s.ron"))
    pl("sweep interval 0s", PLAN.replace("runs: 2", 'runs: 2, sweeps: [HealthCheckInterval(values: ["0s"])]'))
    pl("sweep empty values", PLAN.replace("runs: 2", "runs: 2, sweeps: [DnsTtl(values: [])]"))
    pl("sweep count 2^32", PLAN.replace("runs: 2", 'runs: 2, sweeps: [ServiceCount(kinds: ["ecs-fargate"], values: [4294967295])]'))
    pl("sweep count 0", PLAN.replace("runs: 2", 'runs: 2, sweeps: [ServiceCount(kinds: ["ecs-fargate"], values: [0])]'))
    pl("sweep unknown kind", PLAN.replace("runs: 2", 'runs: 2, sweeps: [ServiceCount(kinds: ["ec3"], values: [2])]'))
    pl("100000 seeds", PLAN.replace("runs: 2", "runs: 2, seeds: [" + ",".join(str(i) for i in range(100000)) + "]"))
    pl("200000 scenarios", PLAN.replace('["region-outage"]', "[" + ",".join(f'"s{i}"' for i in range(200000)) + "]"))
    pl("100000 sweep values", PLAN.replace("runs: 2", "runs: 2, sweeps: [HealthCheckInterval(values: [" +
                                           ",".join(f'"{i + 1}s"' for i in range(100000)) + "])]"))
    pl("seeds -1", PLAN.replace("runs: 2", "runs: 2, seeds: [-1]"))
    pl("plan over one process's budget", PLAN.replace("runs: 2", 'runs: 1000, horizon: "100y", seeds: [' +
                                                     ",".join(str(i) for i in range(1, 12)) + "]"))
    pl("gate NaN", PLAN.replace("runs: 2", "runs: 2, gates: [Availability(min: NaN)]"))
    pl("gate availability 2", PLAN.replace("runs: 2", "runs: 2, gates: [Availability(min: 2.0)]"))
    pl("gate rto -1", PLAN.replace("runs: 2", "runs: 2, gates: [RtoP95(max_s: -1)]"))
    pl("gate cost inf", PLAN.replace("runs: 2", "runs: 2, gates: [MonthlyCost(max_usd: inf)]"))
    pl("unknown gate", PLAN.replace("runs: 2", "runs: 2, gates: [Vibes]"))
    pl("unknown policy pack", PLAN.replace("runs: 2", 'runs: 2, policies: ["\\u{1b}[31mnope"]'))
    pl("policy file ..", PLAN.replace("runs: 2", 'runs: 2, policies: ["../pol.ron"]'))
    pl("plan name with ANSI", PLAN.replace('name: "p"', 'name: "\\u{1b}[2J"'))
    pl("plan name 100k", PLAN.replace('name: "p"', 'name: "' + "n" * 100000 + '"'))
    pl("plan deep nesting", 'Plan(name: "p", designs: ' + "[" * 2000 + "]" * 2000 + ")")
    pl("plan utf-16", PLAN.encode("utf-16"))
    pl("bad design inside plan", PLAN, files={"p/d.ron": d[:500]}, where=loc("plan.ron"))
    case(K, "plan /dev/zero", ["batch", "/dev/zero", "--out", "{T}/out"], where=r"/dev/zero")
    case(K, "plan FIFO", ["batch", "{T}/f", "--out", "{T}/out"], setup=lambda t: os.mkfifo(f"{t}/f"), where=r"\bf\b")
    case(K, "manifest.json /dev/zero for merge", ["merge", "{T}/m", "--out", "{T}/r.json"],
         setup=lambda t: (os.makedirs(f"{t}/m"), os.symlink("/dev/zero", f"{t}/m/manifest.json")), where=r"manifest")
    case(K, "manifest.json garbage for merge", ["merge", "{T}/m", "--out", "{T}/r.json"],
         files={"m/manifest.json": b'{"combinations": -1, "shard": [1,2'}, where=r"manifest\.json")
    case(K, "manifest.json deep for --resume", ["batch", "examples/batch/plan.ron", "--out", "{T}/m", "--resume"],
         files={"m/manifest.json": b"[" * 100000}, where=r"manifest\.json")
    case(K, "results.jsonl garbage for merge", ["merge", "{T}/m", "--out", "{T}/r.json"], code=None,
         files={"m/manifest.json": b"{}", "m/results.jsonl": b"\x00\x01" * 1000}, where=None)


# ---------------------------------------------------------------- policies
def policies():
    K = "policy"

    def po(name, text, code=2, where="default"):
        case(K, name, ["check", BASE, "--policy", "{T}/pol.ron"], code=code,
             files={"pol.ron": text.encode() if isinstance(text, str) else text},
             where=loc("pol.ron") if where == "default" else where)

    po("truncated", POLICY[:60])
    po("utf-16", POLICY.encode("utf-16"))
    po("unknown rule kind", POLICY.replace("Inventory(", "Telepathy("))
    po("empty classes", POLICY.replace('["personal:US*"]', "[]"), code=None, where=None)
    po("class glob **", POLICY.replace('"personal:US*"', '"**"'), code=None, where=None)
    po("class with ANSI", POLICY.replace('"personal:US*"', '"\x1b[2J"'))
    po("duplicate rule id", POLICY.replace("])", 'Rule(id: "inv", description: "d", kind: Inventory(classes: ["x"])),])'))
    po("policy id with ANSI", POLICY.replace('id: "mine"', 'id: "\x1b]0;t\x07"'))
    po("policy id collides with a pack", POLICY.replace('id: "mine"', 'id: "gdpr-strict"'), code=None, where=None)
    po("deep nesting", "Policy(id: \"x\", rules: " + "[" * 3000 + "]" * 3000 + ")")
    po("100k rules", POLICY.replace("])", "".join(f'Rule(id: "r{i}", description: "d", kind: Inventory(classes: ["x"])),'
                                                   for i in range(10000)) + "])"), code=None, where=None)
    po("1.5 MB", POLICY + "//" + "x" * 1_500_000, where=r"pol\.ron")
    po("a design given as policy", base_design())
    po("NUL", POLICY.replace("Mine", "Mi\0ne"))
    case(K, "policy /dev/zero", ["check", BASE, "--policy", "/dev/zero"], where=r"/dev/zero")
    case(K, "policy FIFO", ["check", BASE, "--policy", "{T}/f.ron"], setup=lambda t: os.mkfifo(f"{t}/f.ron"), where=r"f\.ron")
    case(K, "policy pack name with ANSI", ["check", BASE, "--policy", "\x1b[2Jgdpr"], where=r"policy|pack")
    case(K, "policy for export", ["export", BASE, "--format", "terraform", "--out", "{T}/tf", "--policy", "{T}/pol.ron"],
         files={"pol.ron": POLICY[:50].encode()}, where=loc("pol.ron"))


# ---------------------------------------------------------------- prices
def prices():
    K = "prices"
    with open("assets/pricing/snapshot.ron", encoding="utf-8") as f:
        snap = f.read()

    def pr(name, text, code=2, where="default", sub="cost"):
        args = ["cost", BASE, "--prices", "{T}/pr.ron"] if sub == "cost" else \
            ["report", BASE, "--prices", "{T}/pr.ron", "--out", "{T}/r.html", "--runs", "1", "--horizon", "1d"]
        case(K, name, args, code=code, files={"pr.ron": text.encode() if isinstance(text, str) else text},
             where=loc("pr.ron") if where == "default" else where)

    pr("truncated", snap[: len(snap) // 3])
    pr("utf-16", snap.encode("utf-16"))
    m = re.search(r"usd: ([0-9.]+)", snap) or re.search(r"price: ([0-9.]+)", snap)
    key = m.group(0)
    num = m.group(1)
    pr("negative price", snap.replace(key, key.replace(num, "-" + num), 1))
    pr("NaN price", snap.replace(key, key.replace(num, "NaN"), 1))
    pr("1e308 price", snap.replace(key, key.replace(num, "1e308"), 1))
    pr("inf price", snap.replace(key, key.replace(num, "inf"), 1))
    pr("version 99", snap.replace("version: 1", "version: 99", 1))
    pr("currency EUR", snap.replace('currency: "USD"', 'currency: "EUR"', 1))
    pr("as_of 2026-13-45", snap.replace('as_of: "2026-12-03"', 'as_of: "2026-13-45"', 1))
    pr("source with ANSI title", snap.replace("Amazon EC2 On-Demand Pricing", "\x1b[2JEC2", 1), code=None, where=None)
    pr("unknown source id", snap.replace('source: "ec2-pricing"', 'source: "nope"', 1))
    pr("duplicate source id", snap.replace('(id: "fargate-pricing"', '(id: "ec2-pricing"', 1))
    pr("ratio 0", re.sub(r"ratio: [0-9.]+", "ratio: 0.0", snap, count=1))
    pr("ratio NaN", re.sub(r"ratio: [0-9.]+", "ratio: NaN", snap, count=1))
    pr("tier reversed", snap.replace("tier_from_gb: Some(0.0)", "tier_from_gb: Some(1e9)", 1))
    pr("deep nesting", "(version: 1, prices: " + "[" * 5000 + "]" * 5000 + ")")
    pr("17 MB", snap + "//" + "x" * (17 << 20), where=r"pr\.ron")
    pr("a design given as prices", base_design())
    pr("NaN price via report", snap.replace(key, key.replace(num, "NaN"), 1), sub="report")
    case(K, "prices /dev/zero", ["cost", BASE, "--prices", "/dev/zero"], where=r"/dev/zero")
    case(K, "prices folder", ["cost", BASE, "--prices", "{T}"], where=None)
    case(K, "prices FIFO", ["report", BASE, "--prices", "{T}/f", "--out", "{T}/r.html"],
         setup=lambda t: os.mkfifo(f"{t}/f"), where=r"\bf\b")


# ---------------------------------------------------------------- imports
def imports():
    K = "import"

    def cf(name, text, code=2, where="default", ext="yaml"):
        fname = "t." + ext
        case(K, "cfn " + name, ["import", "cloudformation", "{T}/" + fname, "--region", "us-east-1", "--out", "{T}/i.ron"],
             code=code, files={fname: text.encode() if isinstance(text, str) else text},
             where=loc(fname) if where == "default" else where)

    good = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
    laughs = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9))
    cf("billion laughs", laughs + good, where=None)
    cf("billion laughs in Resources", "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
       "      A: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
           f"      {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
           f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9)), where=None)
    cf("yaml 10000 nested flow", "Resources: " + "[" * 10000 + "]" * 10000 + "\n")
    cf("yaml 1000 nested block", "Resources:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 1000)))
    cf("json 100000 nested", "{\"Resources\": " + "[" * 100000 + "]" * 100000 + "}", ext="json")
    cf("truncated", good[:40])
    cf("utf-16", good.encode("utf-16"))
    cf("NUL", good.replace("PAY", "P\0AY"), code=None, where=None)
    cf("Resources a list", "Resources: [1, 2]\n")
    cf("Type a number", "Resources:\n  T:\n    Type: 5\n", where=r"no service found in .*t\.yaml")
    cf("logical id with ANSI", good.replace("  T:", '  "\\e[2JT":'), code=None, where=None)
    cf("duplicate key", good + "Resources: {}\n")
    cf("unknown tag", good.replace("PAY_PER_REQUEST", "!Bogus x"), code=None, where=None)
    cf("!Ref to nothing", good.replace("PAY_PER_REQUEST", "!Ref Nope"), code=None, where=None)
    cf("100k resources", "Resources:\n" + "".join(f"  T{i}:\n    Type: AWS::SQS::Queue\n" for i in range(100000)),
       code=None, where=None)
    cf("huge string", "Description: " + "x" * (15 << 20) + "\n" + good, code=None, where=None)
    cf("17 MB", good + "#" + "x" * (17 << 20), where=r"t\.yaml")
    cf("100k unsupported resources", "Resources:\n" + "".join(f"  T{i}:\n    Type: AWS::Foo::Bar\n" for i in range(100000)),
       where=r"t\.yaml")
    cf("no resources", "Description: empty\n")
    cf("only a scalar", "42\n")
    cf("empty", "")
    case(K, "cfn /dev/zero", ["import", "cloudformation", "/dev/zero", "--out", "{T}/i.ron"], where=r"/dev/zero")
    case(K, "cfn FIFO", ["import", "cloudformation", "{T}/f.yaml", "--out", "{T}/i.ron"],
         setup=lambda t: os.mkfifo(f"{t}/f.yaml"), where=r"f\.yaml")
    case(K, "cfn bad --region", ["import", "cloudformation", "{T}/t.yaml", "--region", "\x1b[2Jmars-1", "--out", "{T}/i.ron"],
         files={"t.yaml": good.encode()}, where=r"region")

    def tf(name, files, code=2, where=r"\.tf", setup=None, target="{T}/tf"):
        case(K, "tf " + name, ["import", "terraform", target, "--out", "{T}/i.ron"], code=code,
             files={f"tf/{k}": (v.encode() if isinstance(v, str) else v) for k, v in files.items()}, setup=setup, where=where)

    tfgood = 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'
    tf("truncated", {"main.tf": tfgood[:30]}, where=r"main\.tf:\d+")
    tf("deep nesting", {"main.tf": 'locals {\n  x = ' + "[" * 5000 + "]" * 5000 + "\n}\n"}, where=r"main\.tf:\d+")
    tf("deep nesting of blocks", {"main.tf": "".join("b {\n" for _ in range(3000)) + "}\n" * 3000}, where=r"main\.tf:\d+")
    tf("utf-16", {"main.tf": tfgood.encode("utf-16")}, where=r"main\.tf")
    tf("heredoc unterminated", {"main.tf": 'locals {\n  x = <<EOT\nabc\n'}, where=r"main\.tf:\d+")
    tf("tf.json deep (not read: .tf only)", {"main.tf.json": "{\"resource\": " + "[" * 100000 + "]" * 100000 + "}"}, where=r"tf")
    tf("folder named x.tf", {"ok.tf": tfgood}, setup=lambda t: os.makedirs(f"{t}/tf/x.tf"), code=None, where=None)
    tf("FIFO named main.tf", {"ok.tf": tfgood}, setup=lambda t: os.mkfifo(f"{t}/tf/main.tf"), where=r"main\.tf")
    tf("symlink to /dev/zero", {"ok.tf": tfgood}, setup=lambda t: os.symlink("/dev/zero", f"{t}/tf/z.tf"), where=r"z\.tf")
    tf("symlink loop", {"ok.tf": tfgood}, setup=lambda t: os.symlink(f"{t}/tf/l.tf", f"{t}/tf/l.tf"), where=r"l\.tf")
    tf("20000 files", {}, setup=lambda t: os.makedirs(f"{t}/tf") or [open(f"{t}/tf/f{i}.tf", "w").write(tfgood.replace('"q"', f'"q{i}"'))
                                         for i in range(20000)], code=None, where=None)
    tf("for_each over a huge range", {"main.tf": 'resource "aws_sqs_queue" "q" {\n  count = 1000000000\n  name = "q"\n}\n'},
       code=None, where=None)
    tf("resource name with ANSI", {"main.tf": tfgood.replace('"q" {', '"\\u001b[2Jq" {')}, code=None, where=None)
    tf("plan json truncated", {"plan.json": '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{'},
       target="{T}/tf/plan.json", where=r"plan\.json:\d+")
    tf("plan json wrong types", {"plan.json": '{"format_version": 5, "planned_values": {"root_module": {"resources": 7}}}'},
       target="{T}/tf/plan.json", where=r"plan\.json")
    tf("plan json deep", {"plan.json": '{"planned_values": ' + "[" * 100000 + "]" * 100000 + "}"},
       target="{T}/tf/plan.json", where=r"plan\.json")
    tf("plan json 1e999", {"plan.json": '{"format_version": "1.2", "planned_values": {"root_module": {"resources": '
                                        '[{"address": "aws_sqs_queue.q", "type": "aws_sqs_queue", "name": "q", '
                                        '"values": {"delay_seconds": 1e999}}]}}}'},
       target="{T}/tf/plan.json", code=None, where=None)
    tf("plan json /dev/zero", {}, target="/dev/zero", where=r"/dev/zero")
    tf("empty folder", {}, setup=lambda t: os.makedirs(f"{t}/tf", exist_ok=True), where=r"tf")

    # drill results for calibrate
    def ob(name, text, code=2, where="default"):
        case("drill", name, ["calibrate", "examples/active-active-2region.ron", "--observed", "{T}/o.json",
                             "--scenario", "examples/scenarios/drills/active-active-2region.scenario.ron"],
             code=code, files={"o.json": text.encode() if isinstance(text, str) else text},
             where=loc("o.json") if where == "default" else where)

    ob("truncated", '{"experiments": [{"name": "1-ser')
    ob("negative rto", '{"experiments": [{"name": "1-service-api-use1", "rto_s": -5}]}')
    ob("rto 1e999", '{"experiments": [{"name": "1-service-api-use1", "rto_s": 1e999}]}')
    ob("unknown experiment with ANSI", '{"experiments": [{"name": "\\u001b[2Jx", "rto_s": 5}]}')
    ob("deep nesting", '{"experiments": ' + "[" * 100000 + "]" * 100000 + "}")
    ob("utf-16", '{"experiments": []}'.encode("utf-16"))
    ob("scenario path in file ..", '{"scenario": "../../../../etc/passwd", "experiments": []}', code=None, where=None)
    case("drill", "observed /dev/zero", ["calibrate", "examples/active-active-2region.ron", "--observed", "/dev/zero"],
         where=r"/dev/zero")


# ---------------------------------------------------------------- options
def options():
    K = "option"
    sim = ["simulate", BASE]
    for v in ("0", "-1", "10000001", "1e3", "NaN", "99999999999999999999", ""):
        case(K, f"--runs {v!r}", sim + ["--runs", v], where=r"--runs")
    for v in ("0s", "-1d", "1e999y", "100001y", "NaN", "", "1y1y", "\u221e", "5", "1h\x1b[2J", "9223372036854775807us",
              "18446744073709551615s", "3000000000000y"):
        case(K, f"--horizon {v!r}", sim + ["--horizon", v], where=r"horizon")
    for v in ("1025", "-1", "18446744073709551616", "x"):
        case(K, f"--threads {v!r}", sim + ["--threads", v], where=r"--threads")
    case(K, "--seed -1", sim + ["--seed", "-1"], where=r"--seed")
    case(K, "--seed 2^64", sim + ["--seed", "18446744073709551616"], where=r"--seed")
    case(K, "--runs 1e7 x 1y", sim + ["--runs", "10000000", "--horizon", "1y"], where=r"runs|horizon")
    case(K, "--json into a missing folder", sim + ["--runs", "1", "--horizon", "1h", "--json", "{T}/no/x.json"], where=r"--json")
    case(K, "--json is a folder", sim + ["--runs", "1", "--horizon", "1h", "--json", "{T}"], where=r"--json")
    case(K, "--plots is a file", sim + ["--runs", "1", "--horizon", "1h", "--plots", BASE], where=r"--plots")
    case(K, "cost --hours-per-month 0", ["cost", BASE, "--hours-per-month", "0"], where=r"--hours-per-month")
    case(K, "cost --months 121", ["cost", BASE, "--months", "121"], where=r"--months")
    case(K, "cost --max-price-age-days -1", ["cost", BASE, "--max-price-age-days", "-1"], where=r"--max-price-age-days")
    case(K, "export-picture --scale NaN", ["export-picture", BASE, "--out", "{T}/p.png", "--scale", "NaN"], where=r"--scale")
    case(K, "export-picture --scale inf", ["export-picture", BASE, "--out", "{T}/p.png", "--scale", "inf"], where=r"--scale")
    case(K, "export-picture .gif", ["export-picture", BASE, "--out", "{T}/p.gif"], where=r"--out|gif")
    case(K, "diff --cost-tolerance NaN", ["diff", BASE, BASE, "--cost-tolerance", "NaN"], where=r"--cost-tolerance")
    case(K, "diff --cost-tolerance -inf", ["diff", BASE, BASE, "--cost-tolerance", "-inf"], where=r"--cost-tolerance")
    case(K, "batch --shard 5/4", ["batch", "examples/batch/plan.ron", "--shard", "5/4", "--out", "{T}/o"], where=r"--shard")
    case(K, "batch --shard 0/0", ["batch", "examples/batch/plan.ron", "--shard", "0/0", "--out", "{T}/o"], where=r"--shard")
    case(K, "batch --shard -1/4", ["batch", "examples/batch/plan.ron", "--shard=-1/4", "--out", "{T}/o"], where=r"--shard")
    case(K, "batch --shard x/y", ["batch", "examples/batch/plan.ron", "--shard", "x/y", "--out", "{T}/o"], where=r"--shard")
    case(K, "batch --shard 1/2^64", ["batch", "examples/batch/plan.ron", "--shard", "1/18446744073709551616", "--out", "{T}/o"],
         where=r"--shard")
    case(K, "batch --shards 0", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "0", "--image", "i",
                                 "--out", "{T}/k"], where=r"--shards")
    case(K, "batch --image with newline", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2",
                                           "--image", "i\nrm -rf /", "--out", "{T}/k"], where=r"--image")
    case(K, "batch --image empty", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2",
                                    "--image", "", "--out", "{T}/k"], where=r"--image")
    case(K, "batch --name with NUL-like escape", ["batch", "examples/batch/plan.ron", "--emit", "aws-batch", "--shards", "2",
                                                  "--image", "i", "--efs-id", "fs-1", "--name", "a\x1b[2J", "--out", "{T}/k"],
         where=r"--name")
    case(K, "batch --name 10k", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2",
                                 "--image", "i", "--name", "n" * 10000, "--out", "{T}/k"], where=r"--name")
    case(K, "batch --results absolute", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2",
                                         "--image", "i", "--results", "/etc", "--out", "{T}/k"], where=r"--results")
    case(K, "batch --results ..", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2",
                                   "--image", "i", "--results", "../../x", "--out", "{T}/k"], where=r"--results")
    case(K, "bench sim --mttf 0", ["bench", "sim", "--mttf", "0"], where=r"--mttf")
    case(K, "bench sim --mttf NaN", ["bench", "sim", "--mttf", "NaN"], where=r"--mttf")
    case(K, "bench sim --mttr -1", ["bench", "sim", "--mttr", "-1"], where=r"--mttr")
    case(K, "bench sim --rate inf", ["bench", "sim", "--rate", "inf"], where=r"--rate")
    case(K, "bench sim --horizon 1e300", ["bench", "sim", "--horizon", "1e300"], where=r"--horizon")
    case(K, "bench sim --components 10000000", ["bench", "sim", "--components", "10000000"], where=r"--components",
         code=None)
    case(K, "bench batch --horizon 0s", ["bench", "batch", "--horizon", "0s"], where=r"horizon")
    case(K, "bench batch --horizon 1e9y", ["bench", "batch", "--horizon", "1e9y"], where=r"horizon")
    case(K, "bench montecarlo --design /dev/zero", ["bench", "montecarlo", "--design", "/dev/zero"], where=r"/dev/zero")
    case(K, "bench montecarlo --scenario bad", ["bench", "montecarlo", "--scenario", "\x1b[2Jx"], where=r"scenario")
    case(K, "pricing refresh --regions ANSI", ["pricing", "refresh", "--regions", "\x1b[2J", "--out", "{T}/p.ron"], where=None)
    case(K, "unknown subcommand with ANSI", ["\x1b[2Jfly"], where=None)
    case(K, "invalid UTF-8 argument", ["validate", b"\xff\xfe.ron"], where=None)
    case(K, "import --region ANSI", ["import", "terraform", "{T}", "--region", "x"], where=None)


# ---------------------------------------------------------------- environment
def environment():
    K = "env"
    case(K, "JOB_COMPLETION_INDEX=-1", ["batch", "examples/batch/plan.ron", "--shard", "JOB_COMPLETION_INDEX/4", "--out", "{T}/o"],
         env={"JOB_COMPLETION_INDEX": "-1"}, where=r"JOB_COMPLETION_INDEX")
    case(K, "JOB_COMPLETION_INDEX=ANSI", ["batch", "examples/batch/plan.ron", "--shard", "JOB_COMPLETION_INDEX/4", "--out", "{T}/o"],
         env={"JOB_COMPLETION_INDEX": "\x1b[2J1"}, where=r"JOB_COMPLETION_INDEX")
    case(K, "JOB_COMPLETION_INDEX=9", ["batch", "examples/batch/plan.ron", "--shard", "JOB_COMPLETION_INDEX/4", "--out", "{T}/o"],
         env={"JOB_COMPLETION_INDEX": "9"}, where=r"JOB_COMPLETION_INDEX")
    case(K, "unset index variable", ["batch", "examples/batch/plan.ron", "--shard", "NOPE_INDEX/4", "--out", "{T}/o"],
         where=r"NOPE_INDEX")
    case(K, "AWS_BATCH_JOB_ARRAY_INDEX huge", ["batch", "examples/batch/plan.ron", "--shard", "AWS_BATCH_JOB_ARRAY_INDEX/4",
                                               "--out", "{T}/o"],
         env={"AWS_BATCH_JOB_ARRAY_INDEX": "9" * 100}, where=r"AWS_BATCH_JOB_ARRAY_INDEX")
    case(K, "COLUMNS=-5", ["compare", BASE, BASE, "--runs", "1", "--horizon", "1h"], env={"COLUMNS": "-5"}, code=0)
    case(K, "COLUMNS=99999999999", ["compare", BASE, BASE, "--runs", "1", "--horizon", "1h"], env={"COLUMNS": "99999999999"},
         code=0)
    case(K, "TMPDIR missing", ["fmt", "{T}/d.ron"], env={"TMPDIR": "/nonexistent"}, files={"d.ron": base_design().encode()}, code=0)
    case(K, "HOME unset, LANG weird", ["validate", BASE], env={"HOME": None, "LANG": "xx_XX.\x1b", "LC_ALL": "C"}, code=0)
    case(K, "RAYON_NUM_THREADS=0", ["simulate", BASE, "--runs", "2", "--horizon", "1h"], env={"RAYON_NUM_THREADS": "0"}, code=0)
    case(K, "RAYON_NUM_THREADS=100000", ["simulate", BASE, "--runs", "2", "--horizon", "1h"],
         env={"RAYON_NUM_THREADS": "100000"}, code=None)
    case(K, "RAYON_NUM_THREADS=abc", ["simulate", BASE, "--runs", "2", "--horizon", "1h"], env={"RAYON_NUM_THREADS": "abc"},
         code=0)
    case(K, "MERIDIAN_SIMULATE=-1 (GUI var) on the CLI", ["validate", BASE], env={"MERIDIAN_SIMULATE": "-1"}, code=0)


# ---------------------------------------------------------------- outputs
def mk_dev(t, name, major, minor):
    os.mknod(f"{t}/{name}", 0o666 | stat.S_IFCHR, os.makedev(major, minor))


def full_fs(t, fill=True):
    os.makedirs(f"{t}/full", exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", f"{t}/full"], check=True)
    if fill:
        fill_up(f"{t}/full")


def fill_up(folder):
    """Fills `folder`'s file system to the last byte, so the next write fails whatever its size
    (a 64k tmpfs alone holds the small outputs)."""
    fd = os.open(f"{folder}/.filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(fd, b"\0" * 512) > 0:
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def ro_fs(t):
    os.makedirs(f"{t}/ro", exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", f"{t}/ro"], check=True)


def outputs():
    K = "output"
    one = ["--runs", "1", "--horizon", "1h"]
    writers = [
        ("simulate --json", ["simulate", BASE, *one, "--json", "{O}/x.json"], "--json"),
        ("simulate --runs-csv", ["simulate", BASE, *one, "--runs-csv", "{O}/x.csv"], "--runs-csv"),
        ("simulate --plots", ["simulate", BASE, *one, "--plots", "{O}/plots"], "--plots"),
        ("compare --chart", ["compare", BASE, BASE, *one, "--chart", "{O}/c.svg"], "--chart"),
        ("report --out", ["report", BASE, *one, "--out", "{O}/r.html"], "--out"),
        ("export --out", ["export", BASE, "--format", "cloudformation", "--out", "{O}/cfn"], "--out"),
        ("variants --out", ["variants", BASE, "--out", "{O}/v"], "--out"),
        ("import --out", ["import", "terraform", "{T}/tf", "--out", "{O}/i.ron"], "--out"),
        ("export-picture --out", ["export-picture", BASE, "--out", "{O}/p.png"], "--out"),
        ("export-experiments --out", ["export-experiments", BASE, "--scenario", "az-outage", "--format", "terraform",
                                      "--out", "{O}/fis"], "--out"),
        ("diff --out", ["diff", BASE, BASE, *one, "--out", "{O}/d.md"], "--out"),
        ("batch --out", ["batch", "{T}/p/plan.ron", "--out", "{O}/b"], "--out"),
        ("batch --json", ["batch", "{T}/p/plan.ron", "--out", "{T}/bo", "--json", "{O}/b.json"], "--json"),
        ("batch --emit --out", ["batch", "examples/batch/plan.ron", "--emit", "kubernetes", "--shards", "2", "--image", "i",
                                "--out", "{O}/k"], "--out"),
    ]
    files = {"tf/main.tf": b'provider "aws" {\n  region = "us-east-1"\n}\n\nresource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
             "p/d.ron": base_design().encode(),
             "p/plan.ron": PLAN.encode()}
    for name, args, opt in writers:
        # a read-only file system (root ignores permission bits, not a read-only mount)
        case(K, f"{name} on a read-only fs", [a.replace("{O}", "{T}/ro") for a in args], files=files, setup=ro_fs,
             where=re.escape(opt) + "|ro/", root=True)
        # a full disk is the machine, not the input: exit 3 (README), located, nothing left behind
        case(K, f"{name} on a full disk", [a.replace("{O}", "{T}/full") for a in args], files=files, setup=full_fs,
             where=r"full/", root=True, code=(2, 3), after=lambda t: not [
                 f for f in os.listdir(f"{t}/full") if ".tmp" in f or "staging" in f] or "temporary files left")
        case(K, f"{name} under a file", [a.replace("{O}", BASE) for a in args], files=files,
             where=re.escape(opt) + "|" + re.escape(BASE))
    for name, args, opt in (
        ("simulate --json", ["simulate", BASE, *one, "--json", "{T}/dev"], "--json"),
        ("simulate --runs-csv", ["simulate", BASE, *one, "--runs-csv", "{T}/dev"], "--runs-csv"),
        ("report --out --force", ["report", BASE, *one, "--out", "{T}/dev", "--force"], "--out"),
        ("compare --chart", ["compare", BASE, BASE, *one, "--chart", "{T}/dev"], "--chart"),
        ("import --out --force", ["import", "terraform", "{T}/tf", "--out", "{T}/dev", "--force"], "--out"),
        ("diff --out", ["diff", BASE, BASE, *one, "--out", "{T}/dev"], "--out"),
        ("batch --junit", ["batch", "{T}/p/plan.ron", "--out", "{T}/bo", "--junit", "{T}/dev"], "--junit"),
    ):
        # a device node in a scratch folder: stands for /dev/null; the write must not replace it
        case(K, f"{name} to a device node", args, files=files, setup=lambda t: mk_dev(t, "dev", 1, 3), root=True,
             where=re.escape(opt) + "|dev", after=lambda t: stat.S_ISCHR(os.lstat(f"{t}/dev").st_mode) or "device replaced")
        case(K, f"{name} to a FIFO", [a.replace("{T}/dev", "{T}/fifo") for a in args], files=files,
             setup=lambda t: os.mkfifo(f"{t}/fifo"), where=re.escape(opt) + "|fifo",
             after=lambda t: stat.S_ISFIFO(os.lstat(f"{t}/fifo").st_mode) or "FIFO replaced")
    case(K, "fmt on a full disk", ["fmt", "{T}/full/d.ron"], root=True,
         setup=lambda t: (full_fs(t, fill=False), open(f"{t}/full/d.ron", "w").write(base_design().replace("\n", "\n\n")),
                          fill_up(f"{t}/full")),
         where=r"d\.ron", code=(2, 3))
    for name, args in (("simulate --json", ["simulate", BASE, *one, "--json", "{T}/x.out"]),
                       ("report --out --force", ["report", BASE, *one, "--out", "{T}/x.out", "--force"]),
                       ("fmt", ["fmt", "{T}/x.out"])):
        # `ulimit -f 8` (8 KiB): the write is cut short; the old file must survive whole (the
        # design is the largest example, so even formatted it is over the limit)
        old = open("examples/active-active-3region-aurora.ron", encoding="utf-8").read().replace("\n", "\n\n").encode()
        case(K, f"{name} with ulimit -f", args, files={"x.out": old}, code=None, where=None, fsize=8192,
             after=lambda t, old=old: open(f"{t}/x.out", "rb").read() == old or "old file damaged")
    # a full standard output is the machine, like a full disk: exit 3 with a message
    case(K, "stdout to /dev/full", ["info", BASE], code=(2, 3), where=r"standard output", stdin=None)


# ---------------------------------------------------------------- runner
def fmt_arg(a, t):
    if isinstance(a, bytes):
        return a.replace(b"{T}", t.encode())
    return a.replace("{T}", t)


CTRL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def run(c, binary, keep):
    t = tempfile.mkdtemp(prefix="hostile-")
    mounts = []
    try:
        for name, data in c.files.items():
            p = os.path.join(t, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        if c.setup:
            c.setup(t)
        for m in ("full", "ro"):
            if os.path.ismount(f"{t}/{m}"):
                mounts.append(f"{t}/{m}")
        args = [fmt_arg(a, t) for a in c.args]
        env = dict(os.environ)
        for k, v in c.env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        memf = os.path.join(t, ".mem")
        limits = [f"--as={MEM_LIMIT}"] + ([f"--fsize={c.fsize}"] if c.fsize else [])
        cmd = ["/usr/bin/time", "-f", "%M", "-o", memf, "prlimit", *limits, "--",
               "timeout", "-k", "5", str(TIMEOUT), binary, *args]
        start = time.time()
        stdout_target = subprocess.PIPE
        devfull = None
        if c.name == "stdout to /dev/full":
            devfull = open("/dev/full", "wb")
            stdout_target = devfull
        p = subprocess.run(cmd, stdout=stdout_target, stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)
        if devfull:
            devfull.close()
        secs = time.time() - start
        try:
            mem = int(open(memf).read().split()[-1])
        except (OSError, ValueError, IndexError):
            mem = -1
        problems = []
        code = p.returncode
        if code in (124, 137) or secs > TIMEOUT:
            problems.append("hang")
        elif isinstance(c.code, tuple) and code not in c.code:
            problems.append(f"exit {code} (want {' or '.join(map(str, c.code))})")
        elif isinstance(c.code, int) and code != c.code:
            problems.append(f"exit {code} (want {c.code})")
        elif c.code is None and code not in (0, 1, 2) and not c.fsize:
            problems.append(f"exit {code}")
        err = p.stderr or b""
        out = p.stdout or b""
        if b"panicked" in err:
            problems.append("panic")
        if CTRL.search(err) or CTRL.search(out):
            problems.append("raw control characters on the terminal")
        if c.where and code in (2, 3) and not re.search(c.where.encode() if isinstance(c.where, str) else c.where, err):
            problems.append("not located")
        if code == 2 and not err.strip():
            problems.append("no message")
        if mem > 1 << 20:
            problems.append(f"{mem // 1024} MB")
        if c.after:
            r = c.after(t)
            if r is not True:
                problems.append(str(r))
        first = err.decode("utf-8", "replace").strip().splitlines()
        first = first[0][:200] if first else ""
        return code, secs, mem, problems, first
    finally:
        for m in mounts:
            subprocess.run(["umount", m], check=False)
        if not keep:
            shutil.rmtree(t, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/debug/meridian")
    ap.add_argument("--only", default="", help="run the inputs whose `kind: name` contains this")
    ap.add_argument("--kinds", default="", help="comma-separated kinds to run (default: all)")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    for g in (designs, scenarios, plans, policies, prices, imports, options, environment, outputs):
        g()
    kinds = set(filter(None, a.kinds.split(",")))
    cases = [c for c in CASES if c is not None and a.only in f"{c.kind}: {c.name}" and (not kinds or c.kind in kinds)]
    root = os.geteuid() == 0
    by_kind, failed = {}, []
    for c in cases:
        if c.root and not root:
            continue
        code, secs, mem, problems, first = run(c, os.path.abspath(a.bin), a.keep)
        k = by_kind.setdefault(c.kind, [0, 0])
        k[0] += 1
        status = "FAIL" if problems else "ok"
        if problems:
            k[1] += 1
            failed.append(c)
        print(f"{status:4} {c.kind:8} {c.name[:60]:60} exit={code} {secs:5.1f}s {mem // 1024:5}MB "
              f"{'; '.join(problems)} | {first[:160]!r}", flush=True)
    print()
    for k, (n, f) in by_kind.items():
        print(f"{k:8} {n:4} inputs, {f} failing")
    print(f"total    {sum(n for n, _ in by_kind.values()):4} inputs, {len(failed)} failing")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
