package dev.cairn.engine.lock;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.hsm.approval.ApprovalRecord;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.testing.SoftHsm;
import dev.cairn.hsm.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real repository (SoftHSM token, RocksDB index) whose clock the test moves, small source trees backed
 * up at chosen times, real signed approvals from an authority key made here, and lsattr/chattr. Close it
 * after the test: it closes the repository and lifts every immutable attribute under {@code tmp}, which
 * JUnit could not delete otherwise.
 */
public final class RetentionRepo implements AutoCloseable {
    public static final String TENANT = "clinic-a";

    public final TestClock clock;
    public final EngineFixture fx;
    public final Path tmp;
    private final KeyPair authority;

    public RetentionRepo(SoftHsm token, Path tmp, Instant start) {
        this.tmp = tmp;
        this.clock = new TestClock(start);
        this.fx = new EngineFixture(token, tmp.resolve("repo"), TENANT);
        fx.repo.close();
        fx.repo = Repository.open(fx.repoDir, fx.vault, Repository.LockMode.SHARED, clock, new SecureRandom());
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            authority = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Repository repo() {
        return fx.repo;
    }

    /** A source tree {@code name} with a few files; {@code salt} makes its content differ from others. */
    public Path source(String name, int salt) throws IOException {
        Path src = tmp.resolve("src").resolve(name);
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("a.txt"), "clinic letter " + salt + "\n");
        byte[] big = new byte[300_000];
        new java.util.Random(salt).nextBytes(big);
        Files.write(src.resolve("sub/scan.bin"), big);
        return src;
    }

    /** Backs {@code src} up at {@code at} (the clock is set there and stays). */
    public Snapshot backupAt(Path src, Instant at, String... tags) {
        setTime(at);
        return Backup.run(fx.repo, new Backup.Options(TENANT, List.of(src), Set.of(tags), "test", "auto", null));
    }

    public void setTime(Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
    }

    /** A signed approval for {@code action} on {@code target}, approved by bob and carol for alice, valid an hour from now. */
    public Approval approval(String action, String target) {
        return approval(action, target, List.of("bob", "carol"));
    }

    public Approval approval(String action, String target, List<String> approvers) {
        Instant now = clock.instant();
        ApprovalRecord r = new ApprovalRecord(UUID.randomUUID().toString(), action, target, "alice", approvers,
                now.minusSeconds(60), now.plus(Duration.ofHours(1)), "test");
        try {
            return Approval.signed(SignedApproval.sign(r, authority.getPrivate(), null), authority.getPublic(), 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An approval signed by another authority key than the one the repository's caller trusts. */
    public static Approval foreignApproval(String action, String target, Instant now) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair signer = g.generateKeyPair();
            KeyPair trusted = g.generateKeyPair();
            ApprovalRecord r = new ApprovalRecord(UUID.randomUUID().toString(), action, target, "alice",
                    List.of("bob", "carol"), now.minusSeconds(60), now.plus(Duration.ofHours(1)), "test");
            return Approval.signed(SignedApproval.sign(r, signer.getPrivate(), null), trusted.getPublic(), 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path snapshotFile(String id) {
        return fx.repo.snapshots().file(TENANT, id);
    }

    public Path lockFile(String id) {
        return fx.repoDir.resolve("locks").resolve(TENANT).resolve(id + ".lock");
    }

    /** Every pack file in the repository. */
    public List<Path> packFiles() throws IOException {
        try (Stream<Path> s = Files.walk(fx.repoDir.resolve("packs"))) {
            return s.filter(p -> p.toString().endsWith(".pack")).sorted().toList();
        }
    }

    /** Name, size and modification time of every file under packs/, to show nothing there changed. */
    public TreeMap<String, String> packListing() throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        for (Path p : packFiles()) {
            m.put(p.getFileName().toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
        }
        return m;
    }

    /** The attribute letters lsattr prints for {@code p} ("----i---..."). */
    public static String lsattr(Path p) throws IOException, InterruptedException {
        return run("lsattr", "-d", p.toString()).split("\\s+")[0];
    }

    public static boolean immutable(Path p) throws IOException, InterruptedException {
        return lsattr(p).contains("i");
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            fx.close();
        } finally {
            new ProcessBuilder("chattr", "-R", "-f", "-i", tmp.toString()).redirectErrorStream(true).start().waitFor();
        }
    }
}
