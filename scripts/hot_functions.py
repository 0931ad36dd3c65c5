#!/usr/bin/env python3
"""The functions the desktop app runs, for src-tauri/hot-functions.txt (lld's symbol ordering file).

scripts/hot-functions.sh drives it; see there and docs/benchmarks.md ("The binary's layout").

  hot_functions.py profile PROFRAW...
      The functions with a nonzero counter in raw profiles of a `-Cprofile-generate` build, most
      run first, one mangled name per line.
  hot_functions.py faults --map MAP --perf PERF_SCRIPT [--binary NAME]
      The functions of the link (its `-Map` output) that took a page fault in PERF_SCRIPT
      (`perf script --show-mmap-events -F comm,pid,tid,ip,addr` of `perf record -e page-faults
      -c 1 -d -a` around a run): code the profile cannot see, such as the precompiled standard
      library and C.
  hot_functions.py order --map MAP --names NAMES [--extra NAMES]...
      The ordering file on stdout: each name that the link holds, in the order given, with the
      copies LTO numbered (`name.123`).

The profiles come from continuous mode (`%c` in LLVM_PROFILE_FILE), because the report stops the
app with a signal and a profile is otherwise written at exit. llvm-profdata 22 refuses those files
on Linux (it does not expect the page padding before the counters), so they are read here: raw
profile format version 10 only, which rustc 1.95's LLVM writes. Another version is refused with a
message, never read wrong.
"""

import argparse
import bisect
import collections
import hashlib
import re
import struct
import sys
import zlib

RAW_MAGIC = 0xFF6C70726F667281  # LLVM's 64-bit raw profile magic: 255, "lprofr", 129
RAW_VERSION = 10
HEADER_FIELDS = 16
DATA_RECORD = 64  # __llvm_profile_data in version 10


def uleb(buf, i):
    value, shift = 0, 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def read_names(buf, start, size):
    """The function names of a profile, by the MD5 reference the data records hold."""
    names = {}
    i, end = start, start + size
    while i < end:
        plain, i = uleb(buf, i)
        packed, i = uleb(buf, i)
        if plain == 0:
            break
        if packed:
            blob = zlib.decompress(buf[i : i + packed])
            i += packed
        else:
            blob = buf[i : i + plain]
            i += plain
        for name in blob.split(b"\x01"):
            ref = struct.unpack("<Q", hashlib.md5(name).digest()[:8])[0]
            names[ref] = name.decode("utf-8", "replace")
    return names


def names_start(buf, counters_end, size):
    """Where the names begin: after the counters and the runtime's padding, at the first chunk
    that inflates to names (continuous mode pads to a page, which the header does not say)."""
    for start in range(counters_end, min(counters_end + 65536, len(buf)), 8):
        try:
            plain, j = uleb(buf, start)
            packed, j = uleb(buf, j)
            if plain and packed and packed <= size:
                zlib.decompress(buf[j : j + packed])
                return start
        except (IndexError, zlib.error):
            continue
    return None


def profile_counts(path):
    """{function name: its largest counter} for the functions that ran, from one raw profile."""
    buf = open(path, "rb").read()
    header = struct.unpack_from("<%dQ" % HEADER_FIELDS, buf, 0)
    magic, version = header[0], header[1] & 0xFFFFFFFF
    if magic != RAW_MAGIC:
        sys.exit(f"{path}: not a raw LLVM profile")
    if version != RAW_VERSION:
        sys.exit(
            f"{path}: raw profile version {version}; this script reads version {RAW_VERSION} "
            "(rustc 1.95's LLVM). Check the layout of that version before reading it."
        )
    binary_ids, num_data, _, num_counters = header[2], header[3], header[4], header[5]
    names_size = header[9]
    counters_delta = struct.unpack("<q", struct.pack("<Q", header[10]))[0]
    data = HEADER_FIELDS * 8 + binary_ids
    data_end = data + num_data * DATA_RECORD
    names_at = names_start(buf, data_end + num_counters * 8, names_size)
    if names_at is None:
        sys.exit(f"{path}: no function names after the counters")
    counters = names_at - num_counters * 8
    names = read_names(buf, names_at, names_size)
    counts = {}
    for k in range(num_data):
        record = data + k * DATA_RECORD
        name_ref, _, counter_ptr = struct.unpack_from("<QQq", buf, record)
        num = struct.unpack_from("<I", buf, record + 48)[0]
        # The counter pointer is relative to the record, in the process's memory.
        index = (k * DATA_RECORD + counter_ptr - counters_delta) // 8
        if not 0 <= index <= num_counters - num:
            sys.exit(f"{path}: a counter outside the counters section")
        top = max(struct.unpack_from("<%dQ" % num, buf, counters + index * 8), default=0)
        if top:
            counts[names.get(name_ref, "")] = top
    counts.pop("", None)
    return counts


def symbol_of(name):
    """A profile's name is `<file>;<symbol>` for a local function."""
    return name.split(";", 1)[-1]


def cmd_profile(args):
    total = collections.Counter()
    for path in args.profraw:
        for name, count in profile_counts(path).items():
            total[symbol_of(name)] += count
    for name, _ in sorted(total.items(), key=lambda item: (-item[1], item[0])):
        print(name)


# The prefixes LLVM and GCC put between `.text.` and a function's symbol in its section's name.
TEXT_KINDS = ("unlikely", "hot", "startup", "exit", "split")
TEXT_PREFIX = re.compile(r"^\.text\.(?:(?:%s)\.)?" % "|".join(TEXT_KINDS))
MAP_LINE = re.compile(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ (.*)$")


def read_map(path):
    """The link map's functions: [(address, size, symbol, input section)]."""
    functions = []
    output, unnamed = None, None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = MAP_LINE.match(line)
        if not m:
            continue
        address, size, rest = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
        if not rest.startswith(" "):
            output = rest.strip()
            continue
        if not output or not output.startswith(".text"):
            continue
        text = rest.strip()
        if ":(" in text:
            section = text[text.index(":(") + 2 : -1]
            # `-ffunction-sections` names each function's section after its symbol:
            # `.text.<symbol>`, with LLVM's `unlikely.` and kin before it.
            symbol = TEXT_PREFIX.sub("", section)
            named = symbol != section and symbol not in TEXT_KINDS
            functions.append((address, size, symbol if named else None, section))
            unnamed = None if named else (address + size, section)
        elif unnamed and not text.startswith("<"):
            # A section of several functions (assembly, C's `.text.startup`): its symbols, as the
            # map prints them with `--no-demangle` (build.rs). Ordering one of them moves the
            # whole section.
            end, section = unnamed
            functions.append((address, end - address, text, section))
    return functions


def faulting(perf_script, binary, functions):
    """The symbols of the functions that took a page fault in `binary`'s text."""
    starts = [f[0] for f in functions]
    base = {}
    symbols = []
    mmap = re.compile(r"\[0x([0-9a-f]+)\(0x[0-9a-f]+\) @ (?:0x)?([0-9a-f]+) ")
    for line in open(perf_script, encoding="utf-8", errors="replace"):
        fields = line.split()
        if len(fields) < 4:
            continue
        try:
            pid = int(fields[1].split("/")[0])
        except ValueError:
            continue
        if "PERF_RECORD_MMAP2" in line:
            m = mmap.search(line)
            if m and line.rstrip().endswith(binary) and int(m.group(2), 16) == 0:
                base[pid] = int(m.group(1), 16)
            continue
        if pid not in base:
            continue
        try:
            address = int(fields[3], 16) - base[pid]
        except ValueError:
            continue
        i = bisect.bisect_right(starts, address) - 1
        if i >= 0 and address < functions[i][0] + max(functions[i][1], 1) and functions[i][2]:
            symbols.append(functions[i][2])
    return symbols


def cmd_faults(args):
    functions = read_map(args.map)
    for symbol in dict.fromkeys(faulting(args.perf, args.binary, functions)):
        print(symbol)


def cmd_order(args):
    functions = read_map(args.map)
    present = collections.defaultdict(list)
    for _, _, symbol, _ in functions:
        if symbol:
            present[re.sub(r"\.\d+$", "", symbol)].append(symbol)
    order = {}
    for path in [args.names] + (args.extra or []):
        for name in open(path, encoding="utf-8"):
            name = name.strip()
            if name and not name.startswith("#"):
                for symbol in present.get(name, []):
                    order.setdefault(symbol)
    print(
        "# The functions the desktop app runs (a sign-in, Read Mails, restored sessions), laid\n"
        "# out first by the release link: generated by scripts/hot-functions.sh, read by\n"
        "# src-tauri/build.rs. Names that a later build lacks are skipped by the linker."
    )
    for symbol in order:
        print(symbol)
    print(f"{len(order)} functions", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("profile")
    p.add_argument("profraw", nargs="+")
    p.set_defaults(run=cmd_profile)
    f = sub.add_parser("faults")
    f.add_argument("--map", required=True)
    f.add_argument("--perf", required=True)
    f.add_argument("--binary", default="graph-signin")
    f.set_defaults(run=cmd_faults)
    o = sub.add_parser("order")
    o.add_argument("--map", required=True)
    o.add_argument("--names", required=True)
    o.add_argument("--extra", action="append")
    o.set_defaults(run=cmd_order)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
