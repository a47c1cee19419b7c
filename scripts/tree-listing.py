#!/usr/bin/env python3
"""A comparable listing of a tree (scripts/kill-soak.sh, scripts/round-trip.sh).

    tree-listing.py DIR

One line per entry below DIR, sorted: the path relative to DIR as hex of its exact name bytes, the mode
in octal, uid:gid, the mtime in nanoseconds, then for a symlink its target (hex), otherwise its xattrs
(name=hex value), and for a regular file its size, the SHA-256 of its content and, when it has more than
one link, the first path seen with the same inode (its hard-link group).
"""
import hashlib, os, stat, sys
root = sys.argv[1].encode()
out, inodes = [], {}
for dirpath, dirs, files in os.walk(root):
    for n in sorted(dirs + files):
        full = os.path.join(dirpath, n)
        rel = os.path.relpath(full, root).hex()
        st = os.lstat(full)
        line = [rel, oct(st.st_mode), "%d:%d" % (st.st_uid, st.st_gid)]
        line.append("mtime=%d" % st.st_mtime_ns)
        if stat.S_ISLNK(st.st_mode):
            line.append("target=" + os.readlink(full).hex())
        else:
            for x in sorted(os.listxattr(full, follow_symlinks=False)):
                line.append("x:%s=%s" % (x, os.getxattr(full, x, follow_symlinks=False).hex()))
        if stat.S_ISREG(st.st_mode):
            h = hashlib.sha256()
            with open(full, "rb") as f:
                for b in iter(lambda: f.read(1 << 20), b""): h.update(b)
            line += ["size=%d" % st.st_size, "sha256=" + h.hexdigest()]
            if st.st_nlink > 1:
                line.append("hardlink=" + inodes.setdefault(st.st_ino, rel))
        out.append(" ".join(line))
print("\n".join(sorted(out)))
