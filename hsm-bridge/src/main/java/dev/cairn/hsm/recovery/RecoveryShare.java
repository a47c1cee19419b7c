package dev.cairn.hsm.recovery;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One printed recovery share: which kit it belongs to, how many shares rebuild the key ({@code threshold}),
 * how many were made ({@code shareCount}), its number {@code x} and its 32 secret bytes {@code y}.
 * Spec: {@code docs/formats/recovery-share.md} §4 "Share token (CRS1)" and §5 "Printed sheet".
 *
 * <pre>
 * payload  = 0x01 || kitId(8) || threshold(1) || shareCount(1) || x(1) || y(32) || checksum(4)    (48 bytes)
 * checksum = SHA-256(payload[0..44))[0..4)
 * token    = "CRS1-" + Base32(payload): RFC 4648 alphabet, no padding, 77 characters,
 *            in groups of 4 joined by '-' (19 groups of 4, then a final group of 1)
 * </pre>
 *
 * <p>Arrays are copied in and out, so a share is immutable. {@link #toString()} never shows {@code y};
 * {@link #toPrintable()} is the only rendering that does, and it is meant for the paper sheet.
 */
public record RecoveryShare(byte[] kitId, int threshold, int shareCount, int x, byte[] y) {
    // ---- Frozen identifiers of share format v1. DO NOT CHANGE: shares are printed on paper and kept for
    // ---- years. A new layout gets a new version byte and a new prefix (CRS2-); CRS1/0x01 stay readable.
    /** Token prefix: Cairn Recovery Share, format 1. */
    static final String PREFIX = "CRS1-";
    /** First payload byte of format 1. */
    static final int VERSION = 0x01;
    /** RFC 4648 Base32 alphabet. */
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final int GROUP = 4;
    static final int CHECKSUM_LENGTH = 4;
    public static final int Y_LENGTH = 32;
    static final int PAYLOAD_LENGTH = 1 + RecoveryKeyPair.KIT_ID_LENGTH + 3 + Y_LENGTH + CHECKSUM_LENGTH; // 48
    /** ceil(48 * 8 / 5) = 77 Base32 characters; the last one carries 4 payload bits and 1 zero bit. */
    static final int TOKEN_SYMBOLS = (PAYLOAD_LENGTH * 8 + 4) / 5;

    private static final Pattern PREFIX_PATTERN = Pattern.compile("(?i)CRS1[ \\t]*-");
    private static final Pattern TOKEN_LINE = Pattern.compile("[A-Za-z0-9 \\t-]*");
    private static final String RETYPE = "re-type the share from the sheet";

    public RecoveryShare {
        Objects.requireNonNull(kitId, "kitId");
        Objects.requireNonNull(y, "y");
        if (kitId.length != RecoveryKeyPair.KIT_ID_LENGTH) {
            throw new IllegalArgumentException("kit id must be 8 bytes, got " + kitId.length);
        }
        if (y.length != Y_LENGTH) {
            throw new IllegalArgumentException("share y must be 32 bytes, got " + y.length);
        }
        String range = rangeProblem(threshold, shareCount, x);
        if (range != null) {
            throw new IllegalArgumentException(range);
        }
        kitId = kitId.clone();
        y = y.clone();
    }

    /** A recovery share from a Shamir share of the recovery private key. */
    static RecoveryShare of(byte[] kitId, int threshold, int shareCount, Shamir.Share share) {
        byte[] y = share.y();
        try {
            return new RecoveryShare(kitId, threshold, shareCount, share.x(), y);
        } finally {
            Arrays.fill(y, (byte) 0);
        }
    }

    /** A copy of the kit id. */
    @Override
    public byte[] kitId() {
        return kitId.clone();
    }

    /** A copy of the secret share bytes; the caller may zero it. */
    @Override
    public byte[] y() {
        return y.clone();
    }

    /** The kit id as 16 lowercase hex digits, as printed on the sheet. */
    public String kitIdHex() {
        return HexFormat.of().formatHex(kitId);
    }

    /** This share as input to {@link Shamir#combine}. */
    public Shamir.Share asShamirShare() {
        return new Shamir.Share(x, y);
    }

    /** The share code alone: {@code CRS1-XXXX-...-XXXX-X} (19 groups of 4, then 1). */
    public String token() {
        byte[] payload = new byte[PAYLOAD_LENGTH];
        try {
            payload[0] = (byte) VERSION;
            System.arraycopy(kitId, 0, payload, 1, RecoveryKeyPair.KIT_ID_LENGTH);
            payload[9] = (byte) threshold;
            payload[10] = (byte) shareCount;
            payload[11] = (byte) x;
            System.arraycopy(y, 0, payload, 12, Y_LENGTH);
            byte[] digest = RecoveryKeyPair.sha256(Arrays.copyOf(payload, PAYLOAD_LENGTH - CHECKSUM_LENGTH));
            System.arraycopy(digest, 0, payload, PAYLOAD_LENGTH - CHECKSUM_LENGTH, CHECKSUM_LENGTH);
            String symbols = base32(payload);
            StringBuilder token = new StringBuilder(PREFIX);
            for (int i = 0; i < symbols.length(); i += GROUP) {
                if (i > 0) {
                    token.append('-');
                }
                token.append(symbols, i, Math.min(i + GROUP, symbols.length()));
            }
            return token.toString();
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /**
     * The text printed on the share sheet: four lines, each ending in '\n'.
     * <pre>
     * Cairn recovery share 2 of 5 (any 3 rebuild the recovery key)
     * kit 0123456789abcdef
     * CRS1-....
     * Keep this sheet sealed. Anyone holding 3 shares can read every backup.
     * </pre>
     */
    public String toPrintable() {
        return "Cairn recovery share " + x + " of " + shareCount + " (any " + threshold + " rebuild the recovery key)\n"
                + "kit " + kitIdHex() + "\n"
                + token() + "\n"
                + "Keep this sheet sealed. Anyone holding " + threshold + " shares can read every backup.\n";
    }

    /**
     * Reads a share from typed or pasted text: the printed sheet, or just the code. The code starts at
     * "CRS1-" (any case); spaces, tabs and '-' inside it are ignored, and it may continue on following lines
     * that hold only letters, digits, spaces and '-'. Checks, in order: alphabet, length, final character,
     * checksum, version, ranges.
     *
     * @throws RecoveryShareException naming the check that failed; the message never repeats the share
     */
    public static RecoveryShare parse(String text) {
        Objects.requireNonNull(text, "text");
        char[] symbols = extractSymbols(text);
        byte[] payload = null;
        try {
            payload = decodeBase32(symbols);
            byte[] digest = RecoveryKeyPair.sha256(Arrays.copyOf(payload, PAYLOAD_LENGTH - CHECKSUM_LENGTH));
            if (!MessageDigest.isEqual(Arrays.copyOf(digest, CHECKSUM_LENGTH),
                    Arrays.copyOfRange(payload, PAYLOAD_LENGTH - CHECKSUM_LENGTH, PAYLOAD_LENGTH))) {
                throw new RecoveryShareException(
                        "checksum check failed: the share code has a mistyped character; " + RETYPE);
            }
            int version = payload[0] & 0xFF;
            if (version != VERSION) {
                throw new RecoveryShareException("version check failed: share format version " + version
                        + " is not supported (this Cairn reads version 1); use the Cairn release that made the kit");
            }
            int threshold = payload[9] & 0xFF;
            int shareCount = payload[10] & 0xFF;
            int x = payload[11] & 0xFF;
            String range = rangeProblem(threshold, shareCount, x);
            if (range != null) {
                throw new RecoveryShareException("range check failed: " + range + "; this is not a valid Cairn share");
            }
            byte[] kitId = Arrays.copyOfRange(payload, 1, 9);
            byte[] y = Arrays.copyOfRange(payload, 12, 12 + Y_LENGTH);
            try {
                return new RecoveryShare(kitId, threshold, shareCount, x, y);
            } finally {
                Arrays.fill(y, (byte) 0);
            }
        } finally {
            Arrays.fill(symbols, '\0');
            if (payload != null) {
                Arrays.fill(payload, (byte) 0);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecoveryShare s
                && Arrays.equals(s.kitId, kitId) && s.threshold == threshold && s.shareCount == shareCount
                && s.x == x && MessageDigest.isEqual(s.y, y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(kitId), threshold, shareCount, x, Arrays.hashCode(y));
    }

    @Override
    public String toString() {
        return "RecoveryShare[kit=" + kitIdHex() + ", x=" + x + " of " + shareCount + ", threshold=" + threshold + "]";
    }

    private static String rangeProblem(int threshold, int shareCount, int x) {
        if (threshold < 2 || threshold > Shamir.MAX_SHARES) {
            return "threshold must be 2..255, got " + threshold;
        }
        if (shareCount < threshold || shareCount > Shamir.MAX_SHARES) {
            return "share count must be " + threshold + "..255, got " + shareCount;
        }
        if (x < 1 || x > shareCount) {
            return "share number must be 1.." + shareCount + ", got " + x;
        }
        return null;
    }

    /** The uppercase Base32 symbols of the one CRS1 code in {@code text}, without separators. */
    private static char[] extractSymbols(String text) {
        Matcher m = PREFIX_PATTERN.matcher(text);
        if (!m.find()) {
            throw new RecoveryShareException("no share code found: the code starts with CRS1-; " + RETYPE);
        }
        int start = m.end();
        if (m.find()) {
            throw new RecoveryShareException("more than one share code (CRS1-) found: give one share at a time");
        }
        char[] symbols = new char[TOKEN_SYMBOLS];
        int count = 0;
        int pos = start;
        boolean firstLine = true;
        while (pos < text.length() && (firstLine || count < TOKEN_SYMBOLS)) {
            int eol = text.indexOf('\n', pos);
            int end = eol < 0 ? text.length() : eol;
            String line = text.substring(pos, end);
            if (!firstLine && !TOKEN_LINE.matcher(line.strip()).matches()) {
                break;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '-' || Character.isWhitespace(c)) {
                    continue;
                }
                char upper = Character.toUpperCase(c);
                if (ALPHABET.indexOf(upper) < 0) {
                    throw new RecoveryShareException("alphabet check failed: character " + (count + 1)
                            + " of the share code (group " + (count / GROUP + 1) + ") is not one of A-Z and 2-7"
                            + " (0, 1, 8 and 9 never appear); " + RETYPE);
                }
                if (count == TOKEN_SYMBOLS) {
                    count++; // too long; reported below
                    break;
                }
                symbols[count++] = upper;
            }
            firstLine = false;
            pos = end + 1;
        }
        if (count != TOKEN_SYMBOLS) {
            Arrays.fill(symbols, '\0');
            throw new RecoveryShareException("length check failed: the share code must have " + TOKEN_SYMBOLS
                    + " characters after CRS1- (19 groups of 4, then 1), got " + (count > TOKEN_SYMBOLS ? "more" : count)
                    + "; " + RETYPE);
        }
        return symbols;
    }

    /** RFC 4648 Base32, most significant bit first, no padding. */
    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** Decodes exactly {@link #TOKEN_SYMBOLS} uppercase symbols into the 48-byte payload; the unused bit must be 0. */
    private static byte[] decodeBase32(char[] symbols) {
        byte[] out = new byte[PAYLOAD_LENGTH];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : symbols) {
            buffer = (buffer << 5) | ALPHABET.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
            buffer &= (1 << bits) - 1;
        }
        if (n != PAYLOAD_LENGTH || buffer != 0) {
            Arrays.fill(out, (byte) 0);
            throw new RecoveryShareException(
                    "final character check failed: the last character of the share code is not possible; " + RETYPE);
        }
        return out;
    }
}
