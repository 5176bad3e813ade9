#!/usr/bin/env python3
"""Turn a list of npm release tarballs into a `git fast-import` stream.

Used by bench/corpus.sh. Each input line on stdin is
    <tarball path> TAB <version> TAB <publish time, git's "<epoch> +0000"> TAB <integrity>
and each becomes one commit on refs/heads/main whose tree is exactly the
tarball's top directory (`deleteall` + every file), so the commit ids depend
only on the tarballs, the dates and the fixed identity below. The top directory
is `package/` for most packages; npm strips whatever it is (DefinitelyTyped's
@types tarballs use e.g. `node v20.16/`), and so do we, as long as there is
exactly one.

Why fast-import instead of extracting and `git add`: a release of the corpus has
~2,700 files; unpacking and re-hashing them 215 times through the file system
took 8.5 minutes here (mostly system time), the stream takes well under one.
"""
import sys
import tarfile

pkg, name, email = sys.argv[1], sys.argv[2], sys.argv[3]
out = sys.stdout.buffer


def data(b: bytes) -> None:
    out.write(b"data %d\n" % len(b))
    out.write(b)
    out.write(b"\n")


mark = 0
for line in sys.stdin:
    path, version, date, integrity = line.rstrip("\n").split("\t")
    files = []
    with tarfile.open(path, "r:gz") as tar:
        members = tar.getmembers()
        top = members[0].name.split("/")[0] + "/" if members else "package/"
        for m in members:
            if not (m.name + "/").startswith(top):
                sys.exit(f"{path}: entry outside {top}: {m.name}")
            rel = m.name[len(top):]
            if m.isdir() or rel == "":
                continue
            if m.issym():
                files.append((rel, b"120000", m.linkname.encode()))
            elif m.isfile():
                # git keeps one bit of the mode: executable by the owner or not.
                mode = b"100755" if m.mode & 0o100 else b"100644"
                files.append((rel, mode, tar.extractfile(m).read()))
            else:
                sys.exit(f"{path}: unsupported entry type for {m.name}")
    # A tarball may list a path twice (the later entry wins on extraction).
    unique = {}
    for rel, mode, blob in files:
        unique[rel] = (mode, blob)
    mark += 1
    ident = f"{name} <{email}> {date}".encode()
    msg = (
        f"{pkg} {version}\n\n"
        f"Published to the npm registry as {pkg}@{version}.\n\n"
        f"Tarball: {integrity}\n"
    ).encode()
    out.write(b"commit refs/heads/main\n")
    out.write(b"mark :%d\n" % mark)
    out.write(b"author " + ident + b"\n")
    out.write(b"committer " + ident + b"\n")
    data(msg)
    if mark > 1:
        out.write(b"from :%d\n" % (mark - 1))
    out.write(b"deleteall\n")
    for rel in sorted(unique):
        mode, blob = unique[rel]
        out.write(b"M " + mode + b" inline " + rel.encode() + b"\n")
        data(blob)
    out.write(b"\n")
    if mark % 25 == 0:
        print(f"[bench]   imported {mark} releases ({pkg} {version}, {len(unique)} files)", file=sys.stderr)
out.write(b"done\n")
