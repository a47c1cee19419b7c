package dev.cairn.tape.scsi;

/**
 * Standard INQUIRY data (SPC-4): byte 0 PERIPHERAL QUALIFIER (bits 7-5) and PERIPHERAL DEVICE TYPE
 * (bits 4-0), byte 1 bit 7 RMB (removable medium), byte 2 VERSION, byte 3 bits 3-0 RESPONSE DATA
 * FORMAT, byte 4 ADDITIONAL LENGTH (n-4), bytes 8-15 T10 VENDOR IDENTIFICATION, 16-31 PRODUCT
 * IDENTIFICATION, 32-35 PRODUCT REVISION LEVEL (ASCII, space padded; trimmed here).
 *
 * <p>The first 36 bytes are required and enough: a device may declare more (vendor-specific bytes,
 * version descriptors) than the 36 Cairn asks for, and that is not a truncation of anything read here.
 * tgt answers "IET" / "VIRTUAL-TAPE" or "VIRTUAL-CHANGER", removable, version 05h (SPC-3).
 */
public record InquiryData(int peripheralQualifier, int peripheralDeviceType, boolean removable, int version,
                          int responseDataFormat, String vendor, String product, String revision) {
    /** The standard data Cairn reads is this long. */
    public static final int STANDARD_LENGTH = 36;
    /** PERIPHERAL DEVICE TYPE of a tape drive (sequential-access device). */
    public static final int TYPE_SEQUENTIAL_ACCESS = 0x01;
    /** PERIPHERAL DEVICE TYPE of a medium changer. */
    public static final int TYPE_MEDIUM_CHANGER = 0x08;

    private static final String STRUCTURE = "INQUIRY data";

    public static InquiryData parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        int additional = r.u8(4, "ADDITIONAL LENGTH");
        if (additional + 5 < STANDARD_LENGTH) {
            throw r.error(4, "ADDITIONAL LENGTH " + additional + " declares fewer than the " + STANDARD_LENGTH + " bytes of standard data");
        }
        r.require(0, STANDARD_LENGTH, "standard INQUIRY data");
        int b0 = r.u8(0, "PERIPHERAL DEVICE TYPE");
        return new InquiryData(
                b0 >>> 5, b0 & 0x1F,
                r.bit(1, 7, "RMB"),
                r.u8(2, "VERSION"),
                r.u8(3, "RESPONSE DATA FORMAT") & 0x0F,
                r.ascii(8, 8, "T10 VENDOR IDENTIFICATION"),
                r.ascii(16, 16, "PRODUCT IDENTIFICATION"),
                r.ascii(32, 4, "PRODUCT REVISION LEVEL"));
    }

    /** Qualifier 000b: a device of this type is connected to this logical unit. */
    public boolean connected() {
        return peripheralQualifier == 0;
    }

    public boolean isTapeDrive() {
        return connected() && peripheralDeviceType == TYPE_SEQUENTIAL_ACCESS;
    }

    public boolean isMediumChanger() {
        return connected() && peripheralDeviceType == TYPE_MEDIUM_CHANGER;
    }
}
