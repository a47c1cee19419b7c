package dev.cairn.tape.scsi;

/**
 * Data compression mode page 0Fh (SSC-4), page length 0Eh: byte 2 bit 7 DCE (compression enabled),
 * bit 6 DCC (the drive can compress); byte 3 bit 7 DDE (decompression enabled), bits 6-5 RED; bytes
 * 4-7 COMPRESSION ALGORITHM; bytes 8-11 DECOMPRESSION ALGORITHM. tgt reports all zeros and refuses
 * DCE=1 in MODE SELECT (05/2600): it does not compress.
 */
public record DataCompressionPage(boolean dce, boolean dcc, boolean dde, int red, long compressionAlgorithm,
                                  long decompressionAlgorithm) {
    public static final int PAGE_CODE = 0x0F;
    private static final String STRUCTURE = "data compression mode page (0Fh)";

    public static DataCompressionPage parse(ModePage page) {
        return parse(page == null ? null : page.bytes());
    }

    /** Decodes the page from its bytes, header included. */
    public static DataCompressionPage parse(byte[] page) {
        ByteReader r = ModePage.reader(STRUCTURE, page, PAGE_CODE, 0x0E);
        int b2 = r.u8(2, "DCE/DCC");
        int b3 = r.u8(3, "DDE/RED");
        return new DataCompressionPage((b2 & 0x80) != 0, (b2 & 0x40) != 0, (b3 & 0x80) != 0, (b3 >>> 5) & 0x03,
                r.u32(4, "COMPRESSION ALGORITHM"), r.u32(8, "DECOMPRESSION ALGORITHM"));
    }
}
