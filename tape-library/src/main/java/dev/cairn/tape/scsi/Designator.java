package dev.cairn.tape.scsi;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One identification descriptor: a designator in VPD page 83h (SPC-4) or the device identifier a
 * changer reports for a drive in READ ELEMENT STATUS with DVCID (SMC-3). Both share the layout: byte 0
 * bits 7-4 PROTOCOL IDENTIFIER and bits 3-0 CODE SET, byte 1 bit 7 PIV, bits 5-4 ASSOCIATION and bits
 * 3-0 DESIGNATOR TYPE, byte 3 DESIGNATOR LENGTH, then the identifier.
 *
 * @param codeSet     1 binary, 2 ASCII, 3 UTF-8
 * @param association 0 logical unit, 1 target port, 2 target device
 * @param type        0 vendor specific, 1 T10 vendor ID, 2 EUI-64, 3 NAA, 4 relative target port,
 *                    5 target port group, 6 logical unit group, 7 MD5 LU identifier, 8 SCSI name string
 */
public record Designator(int protocolIdentifier, int codeSet, boolean piv, int association, int type, byte[] identifier) {
    public static final int CODE_SET_BINARY = 1;
    public static final int CODE_SET_ASCII = 2;
    public static final int CODE_SET_UTF8 = 3;
    public static final int TYPE_VENDOR_SPECIFIC = 0;
    public static final int TYPE_T10_VENDOR_ID = 1;
    public static final int TYPE_EUI64 = 2;
    public static final int TYPE_NAA = 3;
    public static final int TYPE_SCSI_NAME = 8;
    public static final int ASSOCIATION_LOGICAL_UNIT = 0;

    public Designator {
        identifier = identifier.clone();
    }

    @Override
    public byte[] identifier() {
        return identifier.clone();
    }

    /**
     * The identifier as text: ASCII and UTF-8 code sets as trimmed text (a T10 vendor ID reads
     * "IET     VIRTUAL-TAPE    beaf11": vendor, product and serial fields), binary ones as lower-case
     * hex, NAA with the customary "naa." prefix.
     */
    public String text() {
        return switch (codeSet) {
            case CODE_SET_ASCII -> Ascii.text(identifier, 0, identifier.length);
            case CODE_SET_UTF8 -> new String(identifier, StandardCharsets.UTF_8).replace("\0", "").strip();
            default -> (type == TYPE_NAA ? "naa." : "") + HexFormat.of().formatHex(identifier);
        };
    }

    /** Decodes one descriptor at {@code offset}; returns it and needs 4 + length bytes within the reader. */
    static Designator parse(ByteReader r, int offset) {
        int b0 = r.u8(offset, "CODE SET");
        int b1 = r.u8(offset + 1, "DESIGNATOR TYPE");
        int length = r.u8(offset + 3, "DESIGNATOR LENGTH");
        byte[] id = r.bytes(offset + 4, length, "DESIGNATOR");
        return new Designator(b0 >>> 4, b0 & 0x0F, (b1 & 0x80) != 0, (b1 >>> 4) & 0x03, b1 & 0x0F, id);
    }

    /** Bytes this descriptor takes: the 4-byte header and the identifier. */
    int encodedLength() {
        return 4 + identifier.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Designator d && d.protocolIdentifier == protocolIdentifier && d.codeSet == codeSet
                && d.piv == piv && d.association == association && d.type == type
                && java.util.Arrays.equals(d.identifier, identifier);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(protocolIdentifier, codeSet, piv, association, type, java.util.Arrays.hashCode(identifier));
    }

    @Override
    public String toString() {
        return "Designator[codeSet=" + codeSet + ", association=" + association + ", type=" + type + ", " + text() + "]";
    }
}
