package dev.cairn.tape.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * READ ATTRIBUTE data for service action 00h, attribute values (SPC-4): bytes 0-3 AVAILABLE DATA
 * (n-3), then attributes ({@link MamAttribute}) filling exactly that length. tgt does not implement
 * READ ATTRIBUTE (05/2000).
 */
public record MamAttributes(List<MamAttribute> attributes) {
    /** Medium manufacturer (ASCII, 8 bytes). */
    public static final int MEDIUM_MANUFACTURER = 0x0400;
    /** Medium serial number (ASCII, 32 bytes). */
    public static final int MEDIUM_SERIAL_NUMBER = 0x0401;
    /** Barcode written by the application (ASCII, 32 bytes). */
    public static final int BARCODE = 0x0806;

    private static final String STRUCTURE = "READ ATTRIBUTE data";

    public MamAttributes {
        attributes = List.copyOf(attributes);
    }

    public static MamAttributes parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        long available = r.u32(0, "AVAILABLE DATA");
        ByteReader list = r.declared(4 + available, "AVAILABLE DATA");
        List<MamAttribute> attributes = new ArrayList<>();
        int offset = 4;
        while (offset < list.limit()) {
            int id = list.u16(offset, "ATTRIBUTE IDENTIFIER");
            int flags = list.u8(offset + 2, "READ ONLY/FORMAT");
            int length = list.u16(offset + 3, "ATTRIBUTE LENGTH");
            attributes.add(new MamAttribute(id, flags & 0x03, (flags & 0x80) != 0, list.bytes(offset + 5, length, "ATTRIBUTE VALUE")));
            offset += 5 + length;
        }
        return new MamAttributes(attributes);
    }

    public Optional<MamAttribute> find(int id) {
        return attributes.stream().filter(a -> a.id() == id).findFirst();
    }

    public Optional<String> mediumManufacturer() {
        return find(MEDIUM_MANUFACTURER).map(MamAttribute::text);
    }

    public Optional<String> mediumSerialNumber() {
        return find(MEDIUM_SERIAL_NUMBER).map(MamAttribute::text);
    }

    public Optional<String> barcode() {
        return find(BARCODE).map(MamAttribute::text);
    }
}
