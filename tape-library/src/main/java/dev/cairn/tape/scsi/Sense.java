package dev.cairn.tape.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Sense data (SPC-4) in fixed format (response codes 70h current, 71h deferred) or descriptor format
 * (72h, 73h), decoded into the fields Cairn acts on.
 *
 * <p>Fixed format: byte 0 bit 7 VALID and bits 6-0 RESPONSE CODE; byte 2 bit 7 FILEMARK, bit 6 EOM,
 * bit 5 ILI, bits 3-0 SENSE KEY; bytes 3-6 INFORMATION (for tape a signed residue: requested minus
 * actual length); byte 7 ADDITIONAL SENSE LENGTH (n-7); bytes 8-11 COMMAND-SPECIFIC INFORMATION; byte
 * 12 ASC; byte 13 ASCQ; bytes 15-17 SENSE KEY SPECIFIC when byte 15 bit 7 SKSV is set.
 *
 * <p>Descriptor format: byte 1 bits 3-0 SENSE KEY, byte 2 ASC, byte 3 ASCQ, byte 7 ADDITIONAL SENSE
 * LENGTH, then descriptors (byte 0 type, byte 1 additional length): 00h information (byte 2 bit 7
 * VALID, bytes 4-11), 01h command-specific information (bytes 4-11), 02h sense key specific (bytes
 * 4-6, byte 4 bit 7 SKSV), 04h stream commands (byte 3 bit 7 FILEMARK, bit 6 EOM, bit 5 ILI), 05h block
 * commands (byte 3 bit 5 ILI). Other descriptor types are skipped.
 *
 * <p>Length rules: the ADDITIONAL SENSE LENGTH bounds what is read. A buffer shorter than that is
 * accepted (a transport's sense buffer may cut long sense data) as long as ASC and ASCQ are present;
 * a descriptor cut off by the end of such a buffer is dropped. A descriptor that overruns the declared
 * length in a complete buffer is malformed.
 *
 * @param information      fixed format: the 4-byte field sign-extended; descriptor format: the 8-byte field
 * @param senseKeySpecific the 3 SENSE KEY SPECIFIC bytes without the SKSV bit, when SKSV is set
 */
public record Sense(int responseCode, boolean current, int key, int asc, int ascq, boolean filemark, boolean eom,
                    boolean ili, boolean informationValid, long information, long commandSpecific,
                    OptionalInt senseKeySpecific) {
    public static final int NO_SENSE = 0x0;
    public static final int RECOVERED_ERROR = 0x1;
    public static final int NOT_READY = 0x2;
    public static final int MEDIUM_ERROR = 0x3;
    public static final int HARDWARE_ERROR = 0x4;
    public static final int ILLEGAL_REQUEST = 0x5;
    public static final int UNIT_ATTENTION = 0x6;
    public static final int DATA_PROTECT = 0x7;
    public static final int BLANK_CHECK = 0x8;
    public static final int ABORTED_COMMAND = 0xB;
    public static final int VOLUME_OVERFLOW = 0xD;
    public static final int MISCOMPARE = 0xE;

    private static final String[] KEY_NAMES = {
        "NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR", "HARDWARE ERROR", "ILLEGAL REQUEST",
        "UNIT ATTENTION", "DATA PROTECT", "BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
        "OBSOLETE 0Ch", "VOLUME OVERFLOW", "MISCOMPARE", "RESERVED 0Fh"};

    private static final String FIXED = "fixed-format sense data";
    private static final String DESCRIPTOR = "descriptor-format sense data";

    public static Sense parse(byte[] data) {
        ByteReader first = ByteReader.of("sense data", data);
        int responseCode = first.u8(0, "RESPONSE CODE") & 0x7F;
        return switch (responseCode) {
            case 0x70, 0x71 -> parseFixed(ByteReader.of(FIXED, data), responseCode);
            case 0x72, 0x73 -> parseDescriptor(ByteReader.of(DESCRIPTOR, data), responseCode);
            default -> throw first.error(0, String.format("RESPONSE CODE %02Xh is not sense data (70h-73h)", responseCode));
        };
    }

    private static Sense parseFixed(ByteReader r, int responseCode) {
        int additional = r.u8(7, "ADDITIONAL SENSE LENGTH");
        ByteReader s = r.truncatedTo(8L + additional);
        if (8 + additional < 14) {
            throw r.error(7, "ADDITIONAL SENSE LENGTH " + additional + " leaves no room for ASC/ASCQ");
        }
        int b2 = s.u8(2, "SENSE KEY");
        OptionalInt sks = OptionalInt.empty();
        if (s.limit() >= 18 && s.bit(15, 7, "SKSV")) {
            sks = OptionalInt.of(s.u24(15, "SENSE KEY SPECIFIC") & 0x7F_FFFF);
        }
        return new Sense(responseCode, responseCode == 0x70, b2 & 0x0F, s.u8(12, "ASC"), s.u8(13, "ASCQ"),
                (b2 & 0x80) != 0, (b2 & 0x40) != 0, (b2 & 0x20) != 0,
                s.bit(0, 7, "VALID"), s.s32(3, "INFORMATION"), s.u32(8, "COMMAND-SPECIFIC INFORMATION"), sks);
    }

    private static Sense parseDescriptor(ByteReader r, int responseCode) {
        int key = r.u8(1, "SENSE KEY") & 0x0F;
        int asc = r.u8(2, "ASC");
        int ascq = r.u8(3, "ASCQ");
        int additional = r.u8(7, "ADDITIONAL SENSE LENGTH");
        boolean cut = r.limit() < 8 + additional;
        ByteReader s = r.truncatedTo(8L + additional);
        boolean filemark = false;
        boolean eom = false;
        boolean ili = false;
        boolean infoValid = false;
        long info = 0;
        long commandSpecific = 0;
        OptionalInt sks = OptionalInt.empty();
        int offset = 8;
        while (offset < s.limit()) {
            if (offset + 2 > s.limit() || offset + 2 + s.u8(offset + 1, "descriptor ADDITIONAL LENGTH") > s.limit()) {
                if (cut) {
                    break; // the transport cut the buffer inside this descriptor: drop it
                }
                throw s.error(offset, "sense data descriptor runs past the ADDITIONAL SENSE LENGTH");
            }
            int type = s.u8(offset, "DESCRIPTOR TYPE");
            int length = s.u8(offset + 1, "descriptor ADDITIONAL LENGTH");
            ByteReader d = s.window(offset, 2 + length, "sense data descriptor");
            switch (type) {
                case 0x00 -> {
                    needs(d, length, 0x0A, "information descriptor");
                    infoValid = d.bit(2, 7, "VALID");
                    info = d.u64(4, "INFORMATION");
                }
                case 0x01 -> {
                    needs(d, length, 0x0A, "command-specific information descriptor");
                    commandSpecific = d.u64(4, "COMMAND-SPECIFIC INFORMATION");
                }
                case 0x02 -> {
                    needs(d, length, 0x06, "sense key specific descriptor");
                    if (d.bit(4, 7, "SKSV")) {
                        sks = OptionalInt.of(d.u24(4, "SENSE KEY SPECIFIC") & 0x7F_FFFF);
                    }
                }
                case 0x04 -> {
                    needs(d, length, 0x02, "stream commands descriptor");
                    int flags = d.u8(3, "stream flags");
                    filemark = (flags & 0x80) != 0;
                    eom = (flags & 0x40) != 0;
                    ili = (flags & 0x20) != 0;
                }
                case 0x05 -> {
                    needs(d, length, 0x02, "block commands descriptor");
                    ili = d.bit(3, 5, "ILI");
                }
                default -> {
                    // other descriptor types (field replaceable unit, progress indication, ...) are not used
                }
            }
            offset += 2 + length;
        }
        return new Sense(responseCode, responseCode == 0x72, key, asc, ascq, filemark, eom, ili, infoValid, info,
                commandSpecific, sks);
    }

    private static void needs(ByteReader d, int length, int minimum, String what) {
        if (length < minimum) {
            throw d.error(1, what + " has ADDITIONAL LENGTH " + length + ", needs " + minimum);
        }
    }

    /** Descriptor format (72h/73h) rather than fixed (70h/71h). */
    public boolean descriptorFormat() {
        return responseCode == 0x72 || responseCode == 0x73;
    }

    /** What this means for Cairn, with a retry hint. */
    public SenseCategory category() {
        return SenseCategory.of(key, asc, ascq);
    }

    /** The sense key's T10 name, e.g. "NOT READY". */
    public String keyName() {
        return KEY_NAMES[key & 0x0F];
    }

    /**
     * One line for logs and errors: "NOT READY (3A/00: medium not present)", followed by the flags
     * when set, e.g. "NO SENSE (00/00: no additional sense information) [EOM]" or
     * "ILLEGAL REQUEST (24/00: invalid field in CDB) [ILI, information 4096, deferred]".
     */
    public String describe() {
        StringBuilder s = new StringBuilder()
                .append(keyName())
                .append(String.format(" (%02X/%02X: %s)", asc, ascq, AdditionalSense.describe(asc, ascq)));
        List<String> extra = new ArrayList<>();
        if (filemark) {
            extra.add("FILEMARK");
        }
        if (eom) {
            extra.add("EOM");
        }
        if (ili) {
            extra.add("ILI");
        }
        if (informationValid) {
            extra.add("information " + information);
        }
        if (!current) {
            extra.add("deferred");
        }
        if (!extra.isEmpty()) {
            s.append(" [").append(String.join(", ", extra)).append(']');
        }
        return s.toString();
    }
}
