"""The pgkeel command line: help everywhere, versions, and clear errors for
bad input."""

import re

import pytest

COMMAND_LINE = re.compile(r"^  ([a-z][a-z-]*)\s{2,}\S", re.M)


def subcommands(h, *path):
    out = h.pgkeel(*path, "--help").stdout
    if "Commands:" not in out:
        return []
    section = out.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return COMMAND_LINE.findall(section)


def walk(h, path=()):
    subs = subcommands(h, *path)
    if not subs:
        yield path
    for sub in subs:
        yield from walk(h, path + (sub,))


def test_every_command_has_help(h):
    leaves = list(walk(h))
    names = {" ".join(p) for p in leaves}
    for expected in ("create monitor", "create postgres", "run", "stop",
                     "show state", "show events", "show uri",
                     "show settings", "perform switchover",
                     "perform failover", "perform promotion",
                     "enable maintenance", "disable maintenance",
                     "drop node", "watch", "config set", "explain"):
        assert expected in names
    for path in leaves:
        out = h.pgkeel(*path, "--help").stdout
        assert out.startswith("Usage: pgkeel " + " ".join(path)), path
        assert "--help" in out


def test_version(h):
    for args in (["--version"], ["version"]):
        out = h.pgkeel(*args).stdout
        assert re.match(r"^pgkeel \d+\.\d+\.\d+$", out.strip())


@pytest.mark.parametrize("args, exit_code, message", [
    (["frobnicate"], 2, 'unknown command "frobnicate"'),
    (["show", "nope"], 2, 'unknown command "nope"'),
    (["create", "postgres", "--pgdata", "/d", "--monitor", "u",
      "--pgport", "abc"], 2,
     'invalid value "abc" for --pgport: expected a port number'),
    (["create", "postgres", "--pgdata", "/d", "--monitor", "u",
      "--pgport", "70000"], 2, "between 1 and 65535"),
    (["create", "postgres", "--pgdata", "/d", "--monitor", "u",
      "--socket-directory", ""], 2, "expected an absolute path"),
    (["create", "postgres", "--pgdata", "/d"], 2,
     "missing required flag --monitor"),
    (["create", "postgres", "--pgdata", "/d", "--monitor", "u",
      "--candidate-priority", "101"], 2, "between 0 and 100"),
    (["create", "postgres", "--pgdata", "/d", "--monitor", "u",
      "--auth", "md4"], 2, "expected one of: scram-sha-256|trust"),
    (["show", "events", "--count", "0"], 2, "between 1 and 100000"),
    (["run", "--pgdata"], 2, "needs a value"),
    (["run", "--pgdata", "/d", "--no-such-flag"], 2,
     'unknown flag "--no-such-flag"'),
    (["show", "state", "extra"], 2, 'unexpected argument "extra"'),
])
def test_bad_input_is_refused_with_a_reason(h, args, exit_code, message):
    cp = h.pgkeel(*args, check=False)
    assert cp.returncode == exit_code
    assert message in cp.stderr
    assert cp.stdout == ""


def test_group_without_command_prints_usage(h):
    cp = h.pgkeel("perform", check=False)
    assert cp.returncode == 2
    assert "switchover" in cp.stderr


def test_configuration_reference_lists_every_setting():
    import os
    here = os.path.dirname(__file__)
    src = open(os.path.join(here, "..", "..", "src", "common",
                            "settings.c")).read()
    doc = open(os.path.join(here, "..", "..", "docs",
                            "configuration.md")).read()
    pairs = re.findall(r'\{S_[A-Z_]+, "([a-z]+)", "([a-z_]+)", "([a-z-]+)"',
                       src)
    assert len(pairs) > 20
    for section, key, flag in pairs:
        assert f"| {section}.{key} |" in doc, f"{section}.{key} undocumented"
        assert f"--{flag}" in doc, f"--{flag} undocumented"


FLAG_LINE = re.compile(r"^  (--[a-z][a-z-]*)", re.M)


def test_man_pages_and_completion_cover_every_command_and_flag(h):
    """What `make install` and the package ship, generated from the same
    tables as --help: every command and each of its flags, in its group's
    man page and in the bash completion."""
    mandir = h.mkdir("man")
    h.pgkeel("__generate", "man", mandir)
    completion = h.pgkeel("__generate", "bash-completion").stdout
    leaves = [p for p in walk(h) if p]
    assert len(leaves) > 20
    for path in leaves:
        with open(f"{mandir}/pgkeel-{path[0]}.1") as f:
            page = f.read().replace("\\-", "-")
        flags = FLAG_LINE.findall(h.pgkeel(*path, "--help").stdout)
        assert flags, path
        if len(path) > 1:
            assert f'.SS "pgkeel {" ".join(path)}"' in page, path
        case = re.search(rf'^    "{" ".join(path)}"\) words="([^"]*)"',
                         completion, re.M)
        assert case, path
        for flag in flags:
            assert f"\\fB{flag}\\fR" in page, (path, flag)
            assert flag in case.group(1).split(), (path, flag)
    with open(f"{mandir}/pgkeel.1") as f:
        root = f.read()
    for group in subcommands(h):
        assert f"pgkeel-{group}\\fR(1)" in root.replace("\\-", "-")
    assert "__generate" not in h.pgkeel("--help").stdout
