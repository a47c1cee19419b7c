package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static dev.cairn.engine.fs.FsTesting.readFile;
import static dev.cairn.engine.fs.FsTesting.utf8;
import static dev.cairn.engine.fs.FsTesting.writeFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names as bytes, and paths longer than PATH_MAX.
 *
 * <p>Why not java.nio (JDK 25, Linux, checked on this machine): a {@code Path} from
 * {@code Files.newDirectoryStream} does keep the raw bytes internally (so {@code Files.exists(listed)}
 * works for {@code f\xffo}), but the public API hands them out only decoded: {@code toString()} and
 * {@code getFileName().toString()} give {@code "f\uFFFDo"} (under C.UTF-8; under LANG=C
 * {@code Path.of} of that string even throws InvalidPathException), and {@code Path.of("f\uFFFDo")}
 * names another, non-existent file. The only lossless way out is {@code toUri()}'s percent-escaping,
 * an implementation detail. java.nio also cannot open relative to a directory descriptor except
 * through {@code SecureDirectoryStream} (no mknod, mkfifo, raw xattrs on symlinks, SEEK_DATA), and
 * every {@code Files} call passes the full path, so a tree deeper than PATH_MAX (4096 bytes) fails with
 * ENAMETOOLONG.
 */
class NamesTest {
    @TempDir
    Path tmp;

    static final List<NativeName> NAMES = List.of(
            name(0x66, 0xff, 0x6f),                        // "f", 0xff, "o": not UTF-8
            name(0xe9, 't', 0xe9, '.', 't', 'x', 't'),      // "été.txt" in Latin-1, from an old Samba share
            name(0xc3),                                     // a lone UTF-8 lead byte
            name("line\nbreak"),
            name("tab\tand\rreturn"),
            name("with space "),
            name(" leading space"),
            name("Befund Müller 医療 \uD83D\uDE00.pdf"),
            name("back\\slash"),
            name(".hidden"),
            name("..."),
            name("-dash"));

    @Test
    void namesOfAnyBytesRoundTripThroughCreateListStatAndRead() {
        try (Dir root = Dir.open(tmp)) {
            for (NativeName n : NAMES) {
                writeFile(root, n, n.bytes());
            }
            List<NativeName> expected = new ArrayList<>(NAMES);
            Collections.sort(expected);
            List<NativeName> listed = root.list();
            assertThat(listed).containsExactlyElementsOf(expected);
            for (int i = 0; i < listed.size(); i++) {
                assertThat(listed.get(i).bytes()).containsExactly(expected.get(i).bytes());
            }
            for (NativeName n : listed) {
                FileStat st = root.stat(n);
                assertThat(st.type()).isEqualTo(FileType.FILE);
                assertThat(st.size()).isEqualTo(n.length());
                assertThat(readFile(root, n)).containsExactly(n.bytes());
            }
        }
    }

    @Test
    void directoriesWithNonUtf8NamesCanBeEnteredAndListed() {
        NativeName dirName = name(0x64, 0xfe, 0x0a, 0x72);
        NativeName inner = name(0x80, 0x81);
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(dirName, 0755);
            try (Dir d = root.openDir(dirName)) {
                writeFile(d, inner, new byte[] {1, 2, 3});
            }
            try (Dir d = root.openDir(dirName)) {
                assertThat(d.list()).containsExactly(inner);
                assertThat(readFile(d, inner)).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void namesMadeByAnotherProgramAreListedByteIdentical() throws Exception {
        // dash's printf: \377 and \n as the raw bytes 0xff and 0x0a
        FsTesting.run(List.of("sh", "-c", "cd \"$1\" && touch \"$(printf 'x\\377y')\" \"$(printf 'a\\nb')\"", "sh",
                tmp.toString()));
        try (Dir root = Dir.open(tmp)) {
            assertThat(root.list()).containsExactly(name('a', '\n', 'b'), name('x', 0xff, 'y'));
        }
    }

    @Test
    void aLargeDirectoryNeedsSeveralGetdentsBuffersAndListsEveryName() {
        int count = 3000; // about 3000 * 128 bytes of dirents: six 64 KiB getdents64 buffers
        List<NativeName> expected = new ArrayList<>();
        try (Dir root = Dir.open(tmp)) {
            for (int i = 0; i < count; i++) {
                byte[] b = new byte[100];
                Arrays.fill(b, (byte) ('a' + i % 26));
                byte[] num = utf8(Integer.toString(i));
                System.arraycopy(num, 0, b, 0, num.length);
                NativeName n = NativeName.of(b);
                root.mknod(n, FileType.FILE, 0600, 0);
                expected.add(n);
            }
            Collections.sort(expected);
            assertThat(root.list()).containsExactlyElementsOf(expected);
            // a second list() starts again from the beginning
            assertThat(root.list()).hasSize(count);
        }
    }

    @Test
    void listSeesChangesBetweenCalls() {
        try (Dir root = Dir.open(tmp)) {
            assertThat(root.list()).isEmpty();
            writeFile(root, name("one"), new byte[0]);
            assertThat(root.list()).containsExactly(name("one"));
            root.rename(name("one"), name("two"));
            assertThat(root.list()).containsExactly(name("two"));
            root.unlink(name("two"));
            assertThat(root.list()).isEmpty();
        }
    }

    @Test
    void pathsLongerThanPathMaxAreWalkedByDescriptor() {
        int depth = 30;
        NativeName top = name("deep");
        List<NativeName> chain = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            byte[] b = new byte[200];
            Arrays.fill(b, (byte) ('A' + i % 26));
            b[0] = (byte) 0xff; // not UTF-8 either
            chain.add(NativeName.of(b));
        }
        byte[] content = utf8("at the bottom, more than 6000 bytes down");
        NativeName file = name("leaf.bin");
        int pathLength = tmp.toString().length() + 1 + top.length() + depth * 201 + 1 + file.length();
        assertThat(pathLength).isGreaterThan(4096);
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(top, 0755);
            try {
                // create the chain, one open Dir at a time
                Dir d = root.openDir(top);
                for (NativeName n : chain) {
                    d.mkdir(n, 0700);
                    Dir next = d.openDir(n);
                    d.close();
                    d = next;
                }
                writeFile(d, file, content);
                d.fsync();
                d.close();

                // walk down again from the root and read it back
                d = root.openDir(top);
                for (NativeName n : chain) {
                    assertThat(d.list()).containsExactly(n);
                    assertThat(d.stat(n).type()).isEqualTo(FileType.DIRECTORY);
                    Dir next = d.openDir(n);
                    d.close();
                    d = next;
                }
                assertThat(d.list()).containsExactly(file);
                assertThat(readFile(d, file)).containsExactly(content);
                d.close();
            } finally {
                // JUnit's @TempDir cleanup goes through java.nio, which gets ENAMETOOLONG down there
                FsTesting.removeTree(root, top);
            }
            assertThat(root.list()).isEmpty();
        }
    }

    @Test
    void openByBytePathAndByPathAgree() {
        try (Dir byPath = Dir.open(tmp); Dir byBytes = Dir.open(utf8(tmp.toString()))) {
            assertThat(byBytes.stat().inode()).isEqualTo(byPath.stat().inode());
            assertThat(byPath.stat().type()).isEqualTo(FileType.DIRECTORY);
        }
    }
}
