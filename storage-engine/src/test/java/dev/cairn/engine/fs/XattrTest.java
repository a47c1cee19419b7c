package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static dev.cairn.engine.fs.FsTesting.utf8;
import static dev.cairn.engine.fs.FsTesting.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extended attributes in every namespace, on symlinks, and POSIX ACLs as raw xattrs. */
class XattrTest {
    @TempDir
    Path tmp;

    static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void userXattrsWithBinaryValuesRoundTrip() {
        Map<XattrName, byte[]> set = new LinkedHashMap<>();
        set.put(XattrName.of("user.cairn.binary"), allByteValues());
        set.put(XattrName.of("user.cairn.empty"), new byte[0]);
        set.put(XattrName.of(new byte[] {'u', 's', 'e', 'r', '.', (byte) 0xff, '/', 'x'}), utf8("odd name"));
        // ext4 without ea_inode keeps all of an inode's xattrs in one 4 KiB block: more is ENOSPC
        set.put(XattrName.of("user.cairn.big"), new byte[2000]);
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("f"), new byte[0]);
            assertThat(root.xattrs(name("f"))).isEmpty();
            root.setXattrs(name("f"), set);
            SortedMap<XattrName, byte[]> got = root.xattrs(name("f"));
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(set.keySet());
            for (Map.Entry<XattrName, byte[]> e : set.entrySet()) {
                assertThat(got.get(e.getKey())).as(e.getKey().display()).containsExactly(e.getValue());
            }
            // sorted by unsigned bytes
            assertThat(List.copyOf(got.keySet())).isSorted();
            // replace
            root.setXattrs(name("f"), Map.of(XattrName.of("user.cairn.empty"), utf8("now set")));
            assertThat(root.xattrs(name("f")).get(XattrName.of("user.cairn.empty"))).containsExactly(utf8("now set"));
        }
    }

    @Test
    void trustedAndSecurityNamespacesAreReadAsRoot() {
        assumeTrue(FsTesting.isRoot(), "trusted.* needs CAP_SYS_ADMIN");
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("f"), new byte[0]);
            root.setXattrs(name("f"), Map.of(XattrName.of("trusted.cairn"), utf8("t"),
                    XattrName.of("security.cairn"), utf8("s")));
            assertThat(root.xattrs(name("f")).keySet())
                    .contains(XattrName.of("trusted.cairn"), XattrName.of("security.cairn"));
        }
    }

    @Test
    void onSymlinksTheKernelAllowsTrustedButNotUserXattrs() {
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("target"), new byte[0]);
            root.symlink(name("l"), utf8("target"));
            assertThat(root.xattrs(name("l"))).isEmpty();
            assertThatThrownBy(() -> root.setXattrs(name("l"), Map.of(XattrName.of("user.x"), utf8("v"))))
                    .isInstanceOfSatisfying(FsException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EPERM);
                        assertThat(e.call()).isEqualTo("lsetxattr");
                    });
            if (FsTesting.isRoot()) {
                root.setXattrs(name("l"), Map.of(XattrName.of("trusted.on-link"), utf8("v")));
                assertThat(root.xattrs(name("l"))).containsOnlyKeys(XattrName.of("trusted.on-link"));
            }
            // not followed: the target has none of it
            assertThat(root.xattrs(name("target"))).isEmpty();
        }
    }

    @Test
    void theDirectoryItselfAndSubdirectories() {
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(name("d"), 0755);
            root.setXattrs(name("d"), Map.of(XattrName.of("user.d"), utf8("dir")));
            assertThat(root.xattrs(name("d"))).containsOnlyKeys(XattrName.of("user.d"));
            try (Dir d = root.openDir(name("d"))) {
                assertThat(d.xattrs()).containsOnlyKeys(XattrName.of("user.d"));
                assertThat(d.xattrs().get(XattrName.of("user.d"))).containsExactly(utf8("dir"));
            }
        }
    }

    @Test
    void aFileSystemWithoutXattrsGivesAnEmptyMap() throws Exception {
        // procfs keeps no xattrs: llistxattr answers 0 (a file system without the operation at all answers
        // EOPNOTSUPP, which xattrs() also turns into an empty map); setting one is EOPNOTSUPP
        try (Dir proc = Dir.open(Path.of("/proc/self").toRealPath())) { // /proc/self is a symlink
            assertThat(proc.xattrs(name("status"))).isEmpty();
            assertThatThrownBy(() -> proc.setXattrs(name("status"), Map.of(XattrName.of("user.x"), utf8("v"))))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
        }
    }

    @Test
    void posixAclsAreCopiedAsRawXattrs() throws Exception {
        assumeTrue(FsTesting.onPath("setfacl") && FsTesting.onPath("getfacl"),
                "setfacl/getfacl missing: apt-get install acl");
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("src"), utf8("x"));
            writeFile(root, name("dst"), utf8("x"));
            root.mkdir(name("srcdir"), 0750);
            root.mkdir(name("dstdir"), 0750);
            FsTesting.run(List.of("setfacl", "-m", "u:12345:rw-,g:23456:r--,m::rw-", tmp.resolve("src").toString()));
            FsTesting.run(List.of("setfacl", "-m", "u:12345:rwx", "-d", "-m", "g:23456:r-x",
                    tmp.resolve("srcdir").toString()));

            SortedMap<XattrName, byte[]> acl = root.xattrs(name("src"));
            assertThat(acl).containsKey(XattrName.POSIX_ACL_ACCESS);
            byte[] raw = acl.get(XattrName.POSIX_ACL_ACCESS);
            // struct posix_acl_xattr_header { __le32 a_version = 2 }, then 8-byte entries
            assertThat(raw[0]).isEqualTo((byte) 2);
            assertThat((raw.length - 4) % 8).isZero();
            root.setXattrs(name("dst"), Map.of(XattrName.POSIX_ACL_ACCESS, raw));

            SortedMap<XattrName, byte[]> dirAcl = root.xattrs(name("srcdir"));
            assertThat(dirAcl).containsKeys(XattrName.POSIX_ACL_ACCESS, XattrName.POSIX_ACL_DEFAULT);
            root.setXattrs(name("dstdir"), dirAcl);

            assertThat(getfacl(tmp.resolve("dst"))).isEqualTo(getfacl(tmp.resolve("src")))
                    .contains("user:12345:rw-", "group:23456:r--");
            assertThat(getfacl(tmp.resolve("dstdir"))).isEqualTo(getfacl(tmp.resolve("srcdir")))
                    .contains("default:group:23456:r-x");
            assertThat(root.xattrs(name("dst")).get(XattrName.POSIX_ACL_ACCESS)).containsExactly(raw);
        }
    }

    private static String getfacl(Path p) throws Exception {
        // --omit-header drops the "# file:" line, which names the file; -n keeps ids numeric
        return FsTesting.run(List.of("getfacl", "--omit-header", "-n", p.toString()));
    }
}
