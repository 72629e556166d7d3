#!/usr/bin/env python3
"""Checks that each energy pallet's `src/weights.rs` is exactly what
`scripts/benchmark-pallets.sh` writes, so that a hand edit fails the tests:

1. its header is the template's (`scripts/frame-weight-template.hbs`), with no line added,
   and records the script's command for that pallet and file;
2. every other line is a line the template renders;
3. the `WeightInfo` trait, the `SubstrateWeight` implementation and the `()` implementation
   each have one function per benchmark of `src/benchmarking.rs`, in its order, with the
   benchmark's components in their order;
4. every component has a measured execution-time slope in `SubstrateWeight`: a component
   whose cost the regression lost in noise (a storage-only slope, or none) would charge its
   compute to nobody, so its benchmark needs a range that measures it.

Usage: scripts/check-weights.py [pallets/<name> ...] (default: every pallet with a
weights.rs). Prints one line per file and exits 1 on the first file that fails.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scripts" / "frame-weight-template.hbs"
PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")
HELPER_ONLY = re.compile(r"^(\{\{~?[#/][^}]*~?\}\}|\{\{~?else~?\}\})+$")


INLINE_BLOCK = re.compile(r"\{\{#(each|if)[^}]*\}\}.*?\{\{/\1\}\}")


def line_pattern(template_line):
    """A regex for what a template line renders to (placeholders and inline blocks match
    anything)."""
    parts = PLACEHOLDER.split(INLINE_BLOCK.sub("{{}}", template_line.strip()))
    return re.compile("^" + "[^\n]*".join(re.escape(p) for p in parts) + "$")


def template_patterns():
    """(header patterns in order, the args line, body patterns) from the template."""
    lines = TEMPLATE.read_text().splitlines()
    args_at = next(i for i, l in enumerate(lines) if l.startswith("{{#each args"))
    header = [line_pattern(l) for l in lines[:args_at] if not HELPER_ONLY.match(l.strip())]
    body = set()
    for l in lines[args_at + 3 :]:
        s = l.strip()
        # The function signatures span several template lines; they are matched below.
        if not s or HELPER_ONLY.match(s) or s.startswith(("fn {{", "(", "{{~", ") -> Weight")):
            continue
        body.add(line_pattern(s).pattern)
    # `fn name(a: u32, b: u32, ) -> Weight {` in the impls, `... -> Weight;` in the trait.
    body.add(r"^fn [a-z0-9_]+\((_?[a-z]+: u32, )*\) -> Weight( \{|;)$")
    return header, [re.compile(p) for p in sorted(body)]


def expected_args(pallet, output):
    """The command `scripts/benchmark-pallets.sh` runs for an energy pallet (keep in step)."""
    return [
        None,  # the energy-node binary, wherever its target directory is
        "benchmark", "pallet", "--chain", "dev", "--pallet", pallet, "--extrinsic", "*",
        "--steps", None, "--repeat", None, "--wasm-execution", "compiled",
        "--heap-pages", "4096", "--template", "scripts/frame-weight-template.hbs",
        "--output", output,
    ]


def benchmarks(source):
    """[(name, [component, ...])] of a v2 benchmarking.rs, in order."""
    found = []
    for match in re.finditer(r"#\[benchmark(?:\([^)]*\))?\]\s*fn ([a-z0-9_]+)\(", source):
        # The parameters, up to the parenthesis that closes them (ranges have parentheses).
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            end += 1
        components = re.findall(r"\b([a-z])\s*:\s*Linear<", source[match.end() : end - 1])
        found.append((match.group(1), components))
    return found


def check(pallet_dir):
    crate = pallet_dir.name
    pallet = "pallet_" + crate.replace("-", "_")
    path = pallet_dir / "src" / "weights.rs"
    output = f"pallets/{crate}/src/weights.rs"
    lines = path.read_text().splitlines()
    header, body = template_patterns()

    def fail(at, why):
        sys.exit(f"check-weights: {output}:{at + 1}: {why} (regenerate it with "
                 f"scripts/benchmark-pallets.sh; never edit it by hand)")

    i = 0
    for pattern in header:
        if i >= len(lines) or not pattern.match(lines[i]):
            fail(i, f"the header is not the template's (expected /{pattern.pattern}/)")
        i += 1
    if pallet not in lines[1]:
        fail(1, f"the header names another pallet than {pallet}")
    args = []
    while i < len(lines) and lines[i].startswith("//! "):
        args.append(lines[i][4:])
        i += 1
    wanted = expected_args(pallet, output)
    if len(args) != len(wanted) or any(w is not None and a != w for a, w in zip(args, wanted)):
        fail(i, f"the recorded command is not scripts/benchmark-pallets.sh's: {' '.join(args)}")
    if not args[0].endswith("/energy-node"):
        fail(i, "the recorded command does not run energy-node")
    steps = re.search(r"STEPS: `(\d+)`, REPEAT: `(\d+)`", "\n".join(lines[:i]))
    if not steps or [args[10], args[12]] != [steps.group(1), steps.group(2)]:
        fail(i, "the recorded STEPS and REPEAT differ from the command's")

    for at in range(i, len(lines)):
        text = lines[at].strip()
        if text and not any(p.match(text) for p in body):
            fail(at, f"a line the template does not write: {text!r}")

    wanted_fns = benchmarks((pallet_dir / "src" / "benchmarking.rs").read_text())
    source = "\n".join(lines[i:])
    blocks = re.split(r"\n(?=pub trait WeightInfo|impl<T: frame_system::Config> WeightInfo|impl WeightInfo for \(\))", source)
    for block in blocks[1:]:
        kind = block.splitlines()[0]
        found = [(name, re.findall(r"_?([a-z]+): u32", params))
                 for name, params in re.findall(r"\bfn ([a-z0-9_]+)\(([^)]*)\)", block)]
        if found != wanted_fns:
            sys.exit(f"check-weights: {output}: `{kind.strip(' {')}` has {found}, but "
                     f"benchmarking.rs benchmarks {wanted_fns} (regenerate it with "
                     f"scripts/benchmark-pallets.sh)")
    if len(blocks) != 4:
        sys.exit(f"check-weights: {output}: expected the trait and two implementations")
    for name, body_text in re.findall(r"\bfn ([a-z0-9_]+)\([^)]*\) -> Weight \{(.*?)\n\t\}", blocks[2], re.S):
        components = dict(wanted_fns)[name]
        slopes = {c: int(t.replace("_", "")) for t, c in re.findall(
            r"Weight::from_parts\(([0-9_]+), 0\)\.saturating_mul\(([a-z])\.into\(\)\)", body_text)}
        lost = [c for c in components if slopes.get(c, 0) == 0]
        if lost:
            sys.exit(f"check-weights: {output}: `{name}` has no execution-time slope for "
                     f"component(s) {', '.join(lost)}: the benchmark did not measure them "
                     f"(widen their range or give them a benchmark of their own)")
    print(f"check-weights: {output}: as scripts/benchmark-pallets.sh writes it "
          f"({len(wanted_fns)} benchmarks)")


def main():
    dirs = [pathlib.Path(a).resolve() for a in sys.argv[1:]] or sorted(
        p.parent.parent for p in (ROOT / "pallets").glob("*/src/weights.rs"))
    for pallet_dir in dirs:
        check(pallet_dir)


if __name__ == "__main__":
    main()
