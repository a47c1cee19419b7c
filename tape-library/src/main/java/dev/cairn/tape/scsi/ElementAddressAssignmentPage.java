package dev.cairn.tape.scsi;

/**
 * Element address assignment mode page 1Dh of a medium changer (SMC-3), page length 12h: for each
 * element type the first address and the number of elements: bytes 2-3/4-5 medium transport, 6-7/8-9
 * storage, 10-11/12-13 import/export, 14-15/16-17 data transfer. tgt (with the bring-up in the
 * emulator notes) answers MT 1/1, ST 03E8h/10, IE 0010h/2, DT 0100h/2.
 */
public record ElementAddressAssignmentPage(Range mediumTransport, Range storage, Range importExport, Range dataTransfer) {
    public static final int PAGE_CODE = 0x1D;
    private static final String STRUCTURE = "element address assignment mode page (1Dh)";

    /** {@code count} consecutive element addresses from {@code first}. */
    public record Range(int first, int count) {
        public boolean contains(int address) {
            return count > 0 && address >= first && address < first + count;
        }
    }

    public static ElementAddressAssignmentPage parse(ModePage page) {
        return parse(page == null ? null : page.bytes());
    }

    /** Decodes the page from its bytes, header included. */
    public static ElementAddressAssignmentPage parse(byte[] page) {
        ByteReader r = ModePage.reader(STRUCTURE, page, PAGE_CODE, 0x12);
        return new ElementAddressAssignmentPage(
                new Range(r.u16(2, "MEDIUM TRANSPORT ELEMENT ADDRESS"), r.u16(4, "NUMBER OF MEDIUM TRANSPORT ELEMENTS")),
                new Range(r.u16(6, "FIRST STORAGE ELEMENT ADDRESS"), r.u16(8, "NUMBER OF STORAGE ELEMENTS")),
                new Range(r.u16(10, "FIRST IMPORT/EXPORT ELEMENT ADDRESS"), r.u16(12, "NUMBER OF IMPORT/EXPORT ELEMENTS")),
                new Range(r.u16(14, "FIRST DATA TRANSFER ELEMENT ADDRESS"), r.u16(16, "NUMBER OF DATA TRANSFER ELEMENTS")));
    }

    /** The range of one element type; {@link ElementType#ALL} is not a range. */
    public Range range(ElementType type) {
        return switch (type) {
            case MEDIUM_TRANSPORT -> mediumTransport;
            case STORAGE -> storage;
            case IMPORT_EXPORT -> importExport;
            case DATA_TRANSFER -> dataTransfer;
            case ALL -> throw new IllegalArgumentException("ALL is not an element type with addresses");
        };
    }
}
