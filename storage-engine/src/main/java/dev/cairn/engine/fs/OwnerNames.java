package dev.cairn.engine.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User and group names for numeric ids, through {@code getpwuid_r(3)} and {@code getgrgid_r(3)} (so
 * through NSS: /etc/passwd, and LDAP or SSSD where the server uses them), cached per instance. A backup
 * records the names beside the ids so a restore to another server can map owners by name.
 *
 * <p>Keep one instance per backup run: the cache never expires, which keeps a run consistent and
 * makes a later run see renamed accounts. "No such id" is cached; a lookup error (an unreachable
 * directory server) is thrown and not cached. Thread-safe.
 */
public final class OwnerNames {
    private static final int MAX_BUFFER = 1 << 20;

    private final ConcurrentHashMap<Long, Optional<String>> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Optional<String>> groups = new ConcurrentHashMap<>();

    /** The name of user {@code uid}, or empty when there is none. */
    public Optional<String> user(long uid) {
        return users.computeIfAbsent(uid, id -> lookup(id, true));
    }

    /** The name of group {@code gid}, or empty when there is none. */
    public Optional<String> group(long gid) {
        return groups.computeIfAbsent(gid, id -> lookup(id, false));
    }

    private static Optional<String> lookup(long id, boolean user) {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("an id is an unsigned 32-bit number, not " + id);
        }
        String op = user ? "OwnerNames.user" : "OwnerNames.group";
        String call = user ? "getpwuid_r" : "getgrgid_r";
        for (int size = 1024; size <= MAX_BUFFER; size *= 4) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment entry = a.allocate(user ? Libc.PW_SIZE : Libc.GR_SIZE, 8);
                MemorySegment buf = a.allocate(size);
                MemorySegment result = a.allocate(ADDRESS);
                int rc = user ? Libc.getpwuid_r((int) id, entry, buf, result)
                        : Libc.getgrgid_r((int) id, entry, buf, result);
                if (rc == Errno.ERANGE) {
                    continue;
                }
                boolean found = !result.get(ADDRESS, 0).equals(MemorySegment.NULL);
                if (found) {
                    MemorySegment name = entry.get(ADDRESS, user ? Libc.PW_NAME : Libc.GR_NAME);
                    return Optional.of(Libc.stringAt(name));
                }
                // getpwuid_r(3): "0 or ENOENT or ESRCH or EBADF or EPERM or ..." mean "not found"
                if (rc == 0 || rc == Errno.ENOENT || rc == 3 /* ESRCH */ || rc == Errno.EBADF || rc == Errno.EPERM) {
                    return Optional.empty();
                }
                throw new FsException(op, call, rc, null);
            }
        }
        throw new FsException(op, call, Errno.ERANGE, null);
    }
}
