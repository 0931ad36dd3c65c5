#!/usr/bin/env python3
"""What parts of a wasm module weigh, from its name section (a build with names kept).

scripts/page-size.sh drives it; see there and docs/benchmarks.md ("Page size").

  wasm_weigh.py crates WASM [--top N]
      Code bytes per crate: each function counted under the crate its name starts with.
  wasm_weigh.py stub WASM OUT REGEX
      Writes OUT, WASM with the body of every function whose name matches REGEX replaced by
      `unreachable`, and says how many functions and code bytes that was. Gzipping OUT against
      WASM measures what those functions weigh in the page. The code they alone call stays,
      and so does their code that the optimiser inlined into other functions, so the difference
      is a lower bound of what they cost.

Only what these two need is read: the import, code and name sections, as rustc, wasm-bindgen
and binaryen write them (imports of functions, tables, memories, globals of a one-byte value type,
and tags). A module without a name section, or one that ends inside a section, is refused with a
message.
"""

import argparse
import collections
import re
import sys


class Malformed(Exception):
    pass


def leb(data, i):
    result = shift = 0
    while True:
        if i >= len(data):
            raise Malformed("a LEB128 number runs past the end of the module")
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def skip_limits(data, j):
    flags, j = leb(data, j)
    _, j = leb(data, j)
    if flags & 1:
        _, j = leb(data, j)
    return j


def read(data):
    """The sections (id, start, body start, end), the number of imported functions, the code
    section's function bodies as (start, end), and the function names by index."""
    if data[:4] != b"\0asm" or data[4:8] != b"\x01\0\0\0":
        raise Malformed("not a wasm module (version 1)")
    sections, names, bodies = [], {}, []
    imported = 0
    i = 8
    while i < len(data):
        sid = data[i]
        start = i
        size, i = leb(data, i + 1)
        end = i + size
        if end > len(data):
            raise Malformed(f"section {sid} runs past the end of the module")
        sections.append((sid, start, i, end))
        if sid == 2:  # imports: count the functions, which come first in the index space
            count, j = leb(data, i)
            for _ in range(count):
                for _ in range(2):  # module and field names
                    n, j = leb(data, j)
                    j += n
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imported += 1
                elif kind == 1:  # table: reference type, limits
                    j = skip_limits(data, j + 1)
                elif kind == 2:  # memory: limits
                    j = skip_limits(data, j)
                elif kind == 3:  # global: value type, mutability
                    j += 2
                elif kind == 4:  # tag: attribute, type index
                    _, j = leb(data, j + 1)
                else:
                    raise Malformed(f"import kind {kind} is not known here")
        elif sid == 10:
            count, j = leb(data, i)
            for _ in range(count):
                n, k = leb(data, j)
                bodies.append((j, k + n))
                j = k + n
        elif sid == 0:
            n, j = leb(data, i)
            if data[j : j + n] == b"name":
                j += n
                while j < end:
                    sub = data[j]
                    size, j = leb(data, j + 1)
                    if sub == 1:  # function names
                        count, k = leb(data, j)
                        for _ in range(count):
                            index, k = leb(data, k)
                            n, k = leb(data, k)
                            names[index] = data[k : k + n].decode("utf-8", "replace")
                            k += n
                    j += size
        i = end
    if not names:
        raise Malformed("the module has no function names: build it with names kept")
    return sections, imported, bodies, names


def crate_of(name):
    # `<&mut serde_json::de::Deserializer<R> as …>::deserialize_seq` is serde_json's.
    name = re.sub(r"^(?:<|&|mut |dyn |\*const |\*mut )+", "", name)
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    return match.group(0) if match else name


def crates(args):
    data = open(args.wasm, "rb").read()
    _, imported, bodies, names = read(data)
    size, count = collections.Counter(), collections.Counter()
    for index, (start, end) in enumerate(bodies):
        crate = crate_of(names.get(imported + index, "?"))
        size[crate] += end - start
        count[crate] += 1
    print(f"{sum(size.values())} B of code in {len(bodies)} functions")
    for crate, total in size.most_common(args.top):
        print(f"{total:9d} {count[crate]:6d}  {crate}")


def stub(args):
    data = open(args.wasm, "rb").read()
    sections, imported, bodies, names = read(data)
    pattern = re.compile(args.regex)
    # An empty body: no locals, `unreachable`, `end`.
    empty = b"\x00\x00\x0b"
    out = bytearray(data[:8])
    stubbed = saved = 0
    for sid, start, body, end in sections:
        if sid != 10:
            out += data[start:end]
            continue
        code = bytearray(uleb(len(bodies)))
        for index, (fstart, fend) in enumerate(bodies):
            size, _ = leb(data, fstart)
            if pattern.search(names.get(imported + index, "")) and size > len(empty):
                code += uleb(len(empty)) + empty
                stubbed += 1
                saved += fend - fstart
            else:
                code += data[fstart:fend]
        out += bytes([10]) + uleb(len(code)) + code
    open(args.out, "wb").write(out)
    print(f"{stubbed} functions, {saved} B of code, replaced by `unreachable`")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("crates")
    p.add_argument("wasm")
    p.add_argument("--top", type=int, default=20)
    p.set_defaults(run=crates)
    p = sub.add_parser("stub")
    p.add_argument("wasm")
    p.add_argument("out")
    p.add_argument("regex")
    p.set_defaults(run=stub)
    args = parser.parse_args()
    try:
        args.run(args)
    except (Malformed, OSError, re.error) as e:
        sys.exit(f"wasm_weigh.py: {e}")
    except IndexError:
        sys.exit("wasm_weigh.py: the module ends inside a section: it is truncated or malformed")


if __name__ == "__main__":
    main()
