package dev.cairn.tape.scsi;

/**
 * Device configuration mode page 10h (SSC-4), page length 0Eh; the fields Cairn looks at: byte 3
 * ACTIVE PARTITION, byte 4 WRITE OBJECT BUFFER FULL RATIO, byte 5 READ OBJECT BUFFER EMPTY RATIO,
 * bytes 6-7 WRITE DELAY TIME (100 ms units), byte 10 bits 7-5 EOD DEFINED, bit 4 EEG (generate EOD),
 * bit 3 SEW (synchronize at early warning), bytes 11-13 BUFFER SIZE AT EARLY WARNING, byte 14 SELECT
 * DATA COMPRESSION ALGORITHM. tgt sends {@code 10 0E 00 00 00 80 80 00 ...}.
 */
public record DeviceConfigurationPage(int activePartition, int writeBufferFullRatio, int readBufferEmptyRatio,
                                      int writeDelayTime, int eodDefined, boolean eeg, boolean sew,
                                      int bufferSizeAtEarlyWarning, int selectDataCompressionAlgorithm) {
    public static final int PAGE_CODE = 0x10;
    private static final String STRUCTURE = "device configuration mode page (10h)";

    public static DeviceConfigurationPage parse(ModePage page) {
        return parse(page == null ? null : page.bytes());
    }

    /** Decodes the page from its bytes, header included. */
    public static DeviceConfigurationPage parse(byte[] page) {
        ByteReader r = ModePage.reader(STRUCTURE, page, PAGE_CODE, 0x0E);
        int b10 = r.u8(10, "EOD DEFINED/EEG/SEW");
        return new DeviceConfigurationPage(r.u8(3, "ACTIVE PARTITION"), r.u8(4, "WRITE OBJECT BUFFER FULL RATIO"),
                r.u8(5, "READ OBJECT BUFFER EMPTY RATIO"), r.u16(6, "WRITE DELAY TIME"), b10 >>> 5, (b10 & 0x10) != 0,
                (b10 & 0x08) != 0, r.u24(11, "BUFFER SIZE AT EARLY WARNING"), r.u8(14, "SELECT DATA COMPRESSION ALGORITHM"));
    }
}
