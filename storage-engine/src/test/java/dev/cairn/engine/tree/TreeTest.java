package dev.cairn.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tree blob codec v1: exact bytes kept, order, golden encoding, and hostile input. */
class TreeTest {
    static Node file(byte[] name, List<byte[]> content) {
        return new Node(name, Node.Type.FILE, 0644, 1000, 1000, "alice", "staff", 1_798_761_600_123_456_789L,
                1_798_761_600_000_000_001L, 0, 12345, 77, 2049, 1, 0, 0, null, Map.of("user.tag", new byte[] {0, 1, 2}),
                content, List.of(), null, false, "");
    }

    @Test
    void namesAreKeptAsBytesAndSortedUnsigned() {
        byte[] latin = {0x66, (byte) 0xff, 0x6f}; // not UTF-8
        byte[] utf8 = "räksmörgås".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] plain = "a file with\nnewline".getBytes();
        Tree t = new Tree(List.of(file(latin, List.of(new byte[32])), file(utf8, List.of()), file(plain, List.of())));
        Tree back = Tree.decode(t.encode());
        assertThat(back).isEqualTo(t);
        assertThat(back.nodes()).extracting(Node::name).containsExactly(plain, latin, utf8);
        assertThat(back.find(latin)).isNotNull();
        assertThat(back.find("nope".getBytes())).isNull();
        assertThat(back.nodes().get(1).displayName()).isEqualTo("f\\xffo");
        assertThatThrownBy(() -> new Tree(List.of(file(plain, List.of()), file(plain, List.of()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKindOfNodeRoundTrips() {
        Node dir = new Node("d".getBytes(), Node.Type.DIRECTORY, 02775, 0, 0, "root", "root", 1, 2, 3, 4096, 5, 6, 2, 0, 0,
                null, Map.of("system.posix_acl_default", new byte[] {2, 0, 0, 0}), List.of(), List.of(), new byte[32], false, "");
        Node link = new Node("l".getBytes(), Node.Type.SYMLINK, 0777, 0, 0, "", "", 1, 2, 3, 9, 5, 6, 1, 0, 0,
                new byte[] {'/', (byte) 0xfe, 'x'}, Map.of(), List.of(), List.of(), null, false, "");
        Node dev = new Node("null".getBytes(), Node.Type.CHAR_DEVICE, 0666, 0, 0, "", "", 1, 2, 3, 0, 5, 6, 1, 0x103, 0,
                null, Map.of(), List.of(), List.of(), null, false, "");
        Node sparse = new Node("disk.raw".getBytes(), Node.Type.FILE, 0600, 0, 0, "", "", 1, 2, 3, 1L << 40, 5, 6, 2, 0, 7,
                null, Map.of(), List.of(new byte[32]), List.of(new long[] {0, 4096}, new long[] {1L << 30, 8192}), null, true,
                "changed while read");
        Tree t = new Tree(List.of(dir, link, dev, sparse));
        assertThat(Tree.decode(t.encode())).isEqualTo(t);
        Node s = Tree.decode(t.encode()).find("disk.raw".getBytes());
        assertThat(s.extents()).hasSize(2);
        assertThat(s.extents().get(1)).containsExactly(1L << 30, 8192);
        assertThat(s.incomplete()).isTrue();
        assertThat(s.hardlinkGroup()).isEqualTo(7);
    }

    /** Pins tree format v1 byte for byte. */
    @Test
    void golden() {
        Tree t = new Tree(List.of(file("a".getBytes(), List.of())));
        assertThat(HexFormat.of().formatHex(t.encode())).isEqualTo(GOLDEN);
    }

    /** Checked field by field against docs/formats/repository.md section 4. */
    static final String GOLDEN = "010000000100016101000001a4000003e8000003e805616c69636505737461666618f67c2522f8cd1518f67c251b9d000100"
            + "000000000000000000000000003039000000000000004d000000000000080100000001000000000000000000000000000000"
            + "010008757365722e746167000000030001020000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000";

    @Test
    void malformedTreesFailAsTreeFormatErrorsOnly() {
        byte[] good = new Tree(List.of(file("abc".getBytes(), List.of(new byte[32], new byte[32])))).encode();
        Random r = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = r.nextInt(3) == 0 ? java.util.Arrays.copyOf(good, r.nextInt(good.length)) : good.clone();
            if (b.length > 0) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                Tree.decode(b);
            } catch (TreeFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank().doesNotContain("abc");
            }
        }
    }
}
