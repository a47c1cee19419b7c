package dev.cairn.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.chunk.ChunkerParams;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.repo.AtomicFiles;
import dev.cairn.engine.repo.RepoConfig;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.engine.testing.TreeListing;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import dev.cairn.hsm.testing.SoftHsm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A real repository for the fault tests: a generated tree backed up twice, with 64 KiB average chunks
 * (ChunkerParams.FINE) and 1 MiB packs (the smallest RepoConfig allows), so files span many chunks, files
 * share chunks, and the ~4 MiB of incompressible data lands in several packs.
 *
 * <pre>
 * src/a.bin          1.5 MiB random
 * src/b.bin          the first MiB of a.bin, then 0.5 MiB of its own   (shares chunks with a.bin)
 * src/dir/c.bin      1 MiB random
 * src/dir/e.bin      a copy of c.bin                                     (shares every chunk)
 * src/dir/hard.bin   a hard link to c.bin
 * src/dir/sub/d.txt  text
 * src/notes.txt      text, changed for the second snapshot
 * src/new.bin        1 MiB random, only in the second snapshot
 * </pre>
 * dir/ does not change between the snapshots, so both use the same tree for it.
 */
public final class SampleRepo implements AutoCloseable {
    public static final String TENANT = "clinic-a";

    public final EngineFixture fx;
    public final Path src;
    public final Snapshot s1;
    public final Snapshot s2;

    public SampleRepo(SoftHsm token, Path tmp) throws IOException {
        src = tmp.resolve("src");
        fx = new EngineFixture(token, tmp.resolve("repo"), TENANT);
        RepoConfig c = fx.repo.config();
        RepoConfig small = new RepoConfig(c.version(), c.id(), c.created(), 1 << 20, c.compressionLevel(), ChunkerParams.FINE,
                ChunkerParams.FINE, c.fineFor(), c.tenants());
        AtomicFiles.write(fx.repo.tmp(), fx.repoDir.resolve("config.json"), small.encode());
        fx.reopen();

        byte[] a = random(3 << 19, 1);
        write("a.bin", a);
        byte[] b = Arrays.copyOf(a, 3 << 19);
        System.arraycopy(random(1 << 19, 2), 0, b, 1 << 20, 1 << 19);
        write("b.bin", b);
        byte[] c1 = random(1 << 20, 3);
        write("dir/c.bin", c1);
        write("dir/e.bin", c1);
        Files.createLink(src.resolve("dir/hard.bin"), src.resolve("dir/c.bin"));
        write("dir/sub/d.txt", "a line of clinic text\n".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        write("notes.txt", "day one\n".getBytes(StandardCharsets.US_ASCII));
        s1 = backup();
        write("notes.txt", "day two, longer\n".getBytes(StandardCharsets.US_ASCII));
        write("new.bin", random(1 << 20, 4));
        s2 = backup();

        // the setup is what the tests rely on
        assertThat(content(s2, "dir/c.bin")).hasSizeGreaterThan(4);
        assertThat(ids(content(s2, "a.bin"))).containsAnyElementsOf(ids(content(s2, "b.bin")));
        assertThat(packFiles()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(treeOf(s1, "dir")).isEqualTo(treeOf(s2, "dir"));
    }

    public Repository repo() {
        return fx.repo;
    }

    /** Closes and reopens the repository, as the next command (a new process) would. */
    public Repository reopen() {
        return fx.reopen();
    }

    public Snapshot backup() {
        return Backup.run(fx.repo, new Backup.Options(TENANT, List.of(src), Set.of(), "test", "auto", null));
    }

    private void write(String rel, byte[] data) throws IOException {
        Path p = src.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<String> ids(List<byte[]> ids) {
        return ids.stream().map(HexFormat.of()::formatHex).toList();
    }

    /** How verify and restore show {@code rel} (a path under src): absolute, ASCII here. */
    public String shown(String rel) {
        return rel.isEmpty() ? src.toString() : src + "/" + rel;
    }

    /** The node at {@code rel} under src in snapshot {@code s}. */
    public Node node(Snapshot s, String rel) {
        List<String> parts = new ArrayList<>();
        src.forEach(p -> parts.add(p.toString()));
        if (!rel.isEmpty()) {
            parts.addAll(List.of(rel.split("/")));
        }
        Tree t = fx.repo.readTree(TENANT, s.tree());
        Node n = null;
        for (String part : parts) {
            n = t.find(part.getBytes(StandardCharsets.UTF_8));
            assertThat(n).as(part).isNotNull();
            if (n.type() == Node.Type.DIRECTORY) {
                t = fx.repo.readTree(TENANT, n.subtree());
            }
        }
        return n;
    }

    public List<byte[]> content(Snapshot s, String rel) {
        return node(s, rel).content();
    }

    public byte[] treeOf(Snapshot s, String rel) {
        return node(s, rel).subtree();
    }

    public RepoIndex.Location locate(BlobType type, byte[] id) {
        RepoIndex.Location l = fx.repo.index().find(fx.repo.tenantNo(TENANT), type, id);
        assertThat(l).isNotNull();
        return l;
    }

    public Path packFile(byte[] packId) {
        return fx.repo.packPath(packId);
    }

    public List<byte[]> packFiles() {
        return fx.repo.packFiles();
    }

    public List<PackEntry> footer(byte[] packId) {
        try (PackReader r = fx.repo.openPack(packId)) {
            return r.entries();
        }
    }

    /** A pack that holds DATA blobs only (at least three), so damage to it loses file content and nothing else. */
    public byte[] dataOnlyPack() {
        for (byte[] id : packFiles()) {
            List<PackEntry> f = footer(id);
            if (f.size() >= 3 && f.stream().allMatch(e -> e.type() == BlobType.DATA)) {
                return id;
            }
        }
        throw new AssertionError("no pack holds only DATA blobs");
    }

    /** Flips the lowest bit of the byte at {@code offset}. */
    public static void flipBit(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            ch.write(b, offset);
        }
    }

    /** Flips a bit in the middle of the stored bytes of a blob. */
    public void flipBitIn(RepoIndex.Location l) throws IOException {
        flipBit(packFile(l.packId()), l.offset() + l.storedLength() / 2);
    }

    public Restore.Result restore(Snapshot s, Path target) {
        return Restore.run(fx.repo, new Restore.Options(TENANT, s.id(), target, List.of(), false, null));
    }

    /** The listing of src as restored into {@code target}. */
    public List<String> restoredListing(Path target) {
        return TreeListing.of(target.resolve(src.toString().substring(1)));
    }

    /** The listing of src without the entries at {@code rels} and below them. */
    public List<String> sourceListingWithout(String... rels) {
        List<String> prefixes = new ArrayList<>();
        for (String rel : rels) {
            StringBuilder p = new StringBuilder();
            for (String part : rel.split("/")) {
                p.append('/').append(HexFormat.of().formatHex(part.getBytes(StandardCharsets.UTF_8)));
            }
            prefixes.add(p.toString());
        }
        return TreeListing.of(src).stream().filter(line -> {
            String path = line.substring(0, line.indexOf(' '));
            return prefixes.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"));
        }).toList();
    }

    @Override
    public void close() {
        fx.close();
    }
}
