package dev.cairn.tape.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * VPD page 83h, device identification (SPC-4): byte 1 PAGE CODE 83h, bytes 2-3 PAGE LENGTH, then
 * designation descriptors ({@link Designator}) filling exactly the page length. A descriptor that
 * runs past the page length is malformed.
 */
public record VpdDeviceIdentification(int peripheralDeviceType, List<Designator> designators) {
    public static final int PAGE_CODE = 0x83;
    private static final String STRUCTURE = "VPD page 83h (device identification)";

    public VpdDeviceIdentification {
        designators = List.copyOf(designators);
    }

    public static VpdDeviceIdentification parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        int page = r.u8(1, "PAGE CODE");
        if (page != PAGE_CODE) {
            throw r.error(1, String.format("PAGE CODE is %02Xh, not 83h", page));
        }
        int length = r.u16(2, "PAGE LENGTH");
        ByteReader body = r.declared(4L + length, "PAGE LENGTH").window(4, length, "designation descriptor list");
        List<Designator> list = new ArrayList<>();
        int offset = 0;
        while (offset < length) {
            Designator d = Designator.parse(body, offset);
            list.add(d);
            offset += d.encodedLength();
        }
        return new VpdDeviceIdentification(r.u8(0, "PERIPHERAL DEVICE TYPE") & 0x1F, list);
    }

    /**
     * A stable identifier of the logical unit as text: its NAA designator ("naa.5000e11156...") if it
     * has one, else its T10 vendor ID ("IBM     ULT3580-TD9     1234567890"), else empty.
     */
    public Optional<String> preferredIdentifier() {
        return first(Designator.TYPE_NAA).or(() -> first(Designator.TYPE_T10_VENDOR_ID));
    }

    private Optional<String> first(int type) {
        return designators.stream()
                .filter(d -> d.type() == type && d.association() == Designator.ASSOCIATION_LOGICAL_UNIT)
                .findFirst()
                .map(Designator::text);
    }
}
