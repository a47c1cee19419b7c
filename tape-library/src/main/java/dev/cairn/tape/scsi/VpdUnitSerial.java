package dev.cairn.tape.scsi;

/**
 * VPD page 80h, unit serial number (SPC-4): byte 0 qualifier/device type, byte 1 PAGE CODE 80h,
 * bytes 2-3 PAGE LENGTH, then the PRODUCT SERIAL NUMBER in ASCII (trimmed here). tgt answers
 * "beaf11", "beaf12"... (its defaults: "beaf" + target id + LUN).
 */
public record VpdUnitSerial(int peripheralDeviceType, String serialNumber) {
    public static final int PAGE_CODE = 0x80;
    private static final String STRUCTURE = "VPD page 80h (unit serial number)";

    public static VpdUnitSerial parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        int page = r.u8(1, "PAGE CODE");
        if (page != PAGE_CODE) {
            throw r.error(1, String.format("PAGE CODE is %02Xh, not 80h", page));
        }
        int length = r.u16(2, "PAGE LENGTH");
        ByteReader body = r.declared(4L + length, "PAGE LENGTH");
        return new VpdUnitSerial(body.u8(0, "PERIPHERAL DEVICE TYPE") & 0x1F, body.ascii(4, length, "PRODUCT SERIAL NUMBER"));
    }
}
