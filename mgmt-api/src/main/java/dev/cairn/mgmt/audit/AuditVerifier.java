package dev.cairn.mgmt.audit;

import dev.cairn.hsm.AuditSigner;
import dev.cairn.mgmt.audit.AuditReport.Finding;
import dev.cairn.mgmt.audit.AuditReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline verifier of an audit log directory (docs/formats/audit-log.md, section 9). Needs only the
 * audit public key, never the token. It reports, never repairs. Stateless and thread safe.
 */
public final class AuditVerifier {

    private AuditVerifier() {
    }

    /**
     * Reads an EC public key in PEM (SubjectPublicKeyInfo, as {@code AuditSigner.publicKeyPem()} writes it).
     *
     * @throws IllegalArgumentException when the text is not such a key
     */
    public static PublicKey readPublicKey(String pem) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----") || body.isEmpty()) {
            throw new IllegalArgumentException("the public key is not PEM (-----BEGIN PUBLIC KEY-----); export it with "
                    + "AuditSigner.publicKeyPem()");
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the public key PEM does not hold an EC public key", e);
        }
    }

    /** A decoded entry or checkpoint with where it was found. */
    private record Rec(int segment, String file, int line, AuditCodec.Line value) {
        AuditEntry entry() {
            return ((AuditCodec.EntryLine) value).entry();
        }

        String hash() {
            return ((AuditCodec.EntryLine) value).hash();
        }
    }

    /**
     * Verifies every segment of {@code dir} with {@code publicKey}.
     *
     * @throws IOException when the directory or a segment cannot be read
     */
    public static AuditReport verify(Path dir, PublicKey publicKey) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no audit log directory at " + dir);
        }
        List<Finding> findings = new ArrayList<>();
        List<Finding> notices = new ArrayList<>();
        List<Rec> entries = new ArrayList<>();
        List<Rec> checkpoints = new ArrayList<>();
        List<Path> files = Segments.list(dir);
        long lastSeen = 0;
        for (int i = 0; i < files.size(); i++) {
            Segments.Content c = Segments.read(files.get(i));
            String name = c.file().getFileName().toString();
            for (int k = 0; k < c.lines().size(); k++) {
                try {
                    AuditCodec.Line line = AuditCodec.decode(c.lines().get(k));
                    switch (line) {
                        case AuditCodec.EntryLine el -> {
                            entries.add(new Rec(i, name, k + 1, el));
                            lastSeen = el.entry().seq();
                        }
                        case AuditCodec.CheckpointLine cl -> checkpoints.add(new Rec(i, name, k + 1, cl));
                        case AuditCodec.OtherVersion ov -> findings.add(new Finding(Kind.UNKNOWN_VERSION, lastSeen + 1,
                                name, k + 1, "format version " + ov.version() + " is not 1; this verifier cannot judge the line"));
                    }
                } catch (AuditCodec.FormatException e) {
                    findings.add(new Finding(Kind.EDITED, lastSeen + 1, name, k + 1,
                            "the line is not a valid version-1 entry or checkpoint: " + e.getMessage()));
                }
            }
            if (c.torn()) {
                notices.add(new Finding(Kind.TORN_TAIL, lastSeen + 1, name, c.lines().size() + 1,
                        c.tornTail().length + " bytes after the last line feed: an append cut by a crash (or a cut made "
                                + "at that place; the two cannot be told apart)"));
            }
        }

        TreeMap<Long, Rec> chosen = chooseAmongDuplicates(entries, findings);
        checkChain(chosen, findings);
        checkMissing(chosen, findings);
        checkOrder(entries, chosen, findings);
        long lastSeq = chosen.isEmpty() ? 0 : chosen.lastKey();
        long lastSigned = checkCheckpoints(checkpoints, chosen, publicKey, findings);
        return new AuditReport(findings, notices, entries.size(), checkpoints.size(), lastSeq, lastSigned,
                lastSeq - Math.min(lastSigned, lastSeq));
    }

    /** One entry per seq; the others with the same seq are reported as inserted. */
    private static TreeMap<Long, Rec> chooseAmongDuplicates(List<Rec> entries, List<Finding> findings) {
        Map<Long, List<Rec>> bySeq = new TreeMap<>();
        for (Rec r : entries) {
            bySeq.computeIfAbsent(r.entry().seq(), s -> new ArrayList<>()).add(r);
        }
        TreeMap<Long, Rec> chosen = new TreeMap<>();
        for (Map.Entry<Long, List<Rec>> e : bySeq.entrySet()) {
            List<Rec> same = e.getValue();
            if (same.size() == 1) {
                chosen.put(e.getKey(), same.getFirst());
                continue;
            }
            long s = e.getKey();
            Rec best = null;
            int bestScore = -1;
            for (Rec r : same) {
                int score = 0;
                if (s == 1 ? r.entry().prev().equals(AuditCodec.GENESIS)
                        : bySeq.getOrDefault(s - 1, List.of()).stream().anyMatch(p -> p.hash().equals(r.entry().prev()))) {
                    score++;
                }
                if (bySeq.getOrDefault(s + 1, List.of()).stream().anyMatch(n -> n.entry().prev().equals(r.hash()))) {
                    score++;
                }
                if (score > bestScore) {
                    best = r;
                    bestScore = score;
                }
            }
            chosen.put(s, best);
            for (Rec r : same) {
                if (r != best) {
                    findings.add(new Finding(Kind.INSERTED, s, r.file(), r.line(),
                            "a second entry with seq " + s + " that does not fit the chain"));
                }
            }
        }
        return chosen;
    }

    private static void checkChain(Map<Long, Rec> chosen, List<Finding> findings) {
        for (Rec r : chosen.values()) {
            long s = r.entry().seq();
            if (s == 1) {
                if (!r.entry().prev().equals(AuditCodec.GENESIS)) {
                    findings.add(new Finding(Kind.EDITED, 1, r.file(), r.line(),
                            "entry 1 does not carry the genesis prev value"));
                }
                continue;
            }
            Rec before = chosen.get(s - 1);
            if (before != null && !before.hash().equals(r.entry().prev())) {
                findings.add(new Finding(Kind.EDITED, s - 1, before.file(), before.line(),
                        "entry " + (s - 1) + " does not hash to the prev value of entry " + s
                                + ": it was changed after entry " + s + " was written (or entry " + s + " was forged)"));
            }
        }
    }

    private static void checkMissing(Map<Long, Rec> chosen, List<Finding> findings) {
        long expected = 1;
        Rec before = null;
        for (Rec r : chosen.values()) {
            long s = r.entry().seq();
            if (s > expected) {
                String range = s - 1 == expected ? "entry " + expected : "entries " + expected + " to " + (s - 1);
                if (before != null && before.segment() == r.segment()) {
                    findings.add(new Finding(Kind.REMOVED, expected, r.file(), r.line(),
                            range + " missing between two lines of this segment"));
                } else if (before == null) {
                    findings.add(new Finding(Kind.GAP, expected, r.file(), r.line(),
                            range + " missing: the log does not start at seq 1 (a segment or the start of one was removed)"));
                } else {
                    findings.add(new Finding(Kind.GAP, expected, r.file(), r.line(),
                            range + " missing between segments " + before.file() + " and " + r.file()
                                    + " (a segment, or the end or start of one, was removed)"));
                }
            }
            expected = s + 1;
            before = r;
        }
    }

    private static void checkOrder(List<Rec> entries, Map<Long, Rec> chosen, List<Finding> findings) {
        long max = 0;
        for (Rec r : entries) {
            long s = r.entry().seq();
            if (chosen.get(s) != r) {
                continue; // reported as inserted
            }
            if (s < max) {
                findings.add(new Finding(Kind.REORDERED, s, r.file(), r.line(),
                        "entry " + s + " comes after entry " + max + " in the files"));
            }
            max = Math.max(max, s);
        }
    }

    /** Returns the highest seq closed by a checkpoint that verified and matched its entry. */
    private static long checkCheckpoints(List<Rec> checkpoints, Map<Long, Rec> chosen, PublicKey key,
                                         List<Finding> findings) {
        long expectedPrev = 0;
        long lastSigned = 0;
        for (Rec r : checkpoints) {
            Checkpoint c = ((AuditCodec.CheckpointLine) r.value()).checkpoint();
            if (c.prevCheckpoint() != expectedPrev) {
                findings.add(new Finding(Kind.REMOVED, c.seq(), r.file(), r.line(), "the checkpoint for entry " + c.seq()
                        + " follows the checkpoint for entry " + c.prevCheckpoint() + ", but the previous checkpoint here is for entry "
                        + expectedPrev + ": a checkpoint (and perhaps entries) was removed or moved"));
            }
            expectedPrev = c.seq();
            boolean signed = AuditSigner.verify(key, c.signedBytes(), c.signature());
            if (!signed) {
                findings.add(new Finding(Kind.BAD_SIGNATURE, c.seq(), r.file(), r.line(), "the checkpoint for entry " + c.seq()
                        + " does not verify with this public key (forged or altered, or the wrong key)"));
            }
            Rec e = chosen.get(c.seq());
            boolean matches = e != null && e.hash().equals(c.hash());
            if (e != null && !matches) {
                findings.add(new Finding(Kind.EDITED, c.seq(), e.file(), e.line(), "entry " + c.seq()
                        + " does not match the hash its checkpoint recorded: the chain up to it was rewritten"));
            }
            if (signed && matches) {
                lastSigned = Math.max(lastSigned, c.seq());
            }
        }
        return lastSigned;
    }
}
