package dev.cairn.tape.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * READ ELEMENT STATUS data (SMC-3): an 8-byte header (bytes 0-1 FIRST ELEMENT ADDRESS REPORTED, 2-3
 * NUMBER OF ELEMENTS AVAILABLE, 5-7 BYTE COUNT OF REPORT AVAILABLE, which excludes the header), then
 * element status pages, each an 8-byte page header (byte 0 bits 3-0 ELEMENT TYPE CODE, byte 1 bit 7
 * PVOLTAG and bit 6 AVOLTAG, bytes 2-3 ELEMENT DESCRIPTOR LENGTH, bytes 5-7 BYTE COUNT OF DESCRIPTOR
 * DATA AVAILABLE) followed by descriptors of that length ({@link ElementDescriptor}).
 *
 * <p>Length rules: the header byte count is the contract; a shorter buffer was cut by the allocation
 * length ({@link ScsiDecodeException#requiredLength()}). Every page must fit in the report, every
 * descriptor in its page, and the page's byte count must be a whole number of descriptors.
 *
 * <p>tgt quirks (tgt 1:1.0.85-1+deb12u1, answers captured live), not worked around here:
 * <ul>
 * <li>Every answer is 8 bytes shorter than its header's byte count declares: tgt transfers "byte count"
 * bytes, forgetting the 8-byte header. This decoder rejects such an answer (with
 * {@link ScsiDecodeException#requiredLength()} = what tgt sent + 8, so asking again does not help); a
 * device layer that knows it talks to tgt pads the answer with 8 zero bytes. The lost bytes are padding,
 * except with DVCID, where they are the end of the last drive's serial number.</li>
 * <li>The answer to an {@link ElementType#ALL} query is corrupt ({@code smc_read_element_status} places
 * each page after {@code count * elementSize} bytes without the 8-byte page headers, so the storage
 * page header lands inside the medium transport descriptor) and is rejected: query one element type at
 * a time, which gives one page per answer.</li>
 * <li>FIRST ELEMENT ADDRESS REPORTED is unreliable (257 for the medium transport query), so it is
 * reported but never checked against the descriptors.</li>
 * <li>Only FULL is ever set (no ACCESS, IMPEXP, INENAB, EXENAB); volume tags end in a NUL.</li>
 * </ul>
 */
public record ElementStatus(int firstElementAddress, int numberOfElements, int byteCount, List<ElementDescriptor> elements) {
    private static final String STRUCTURE = "READ ELEMENT STATUS data";

    public ElementStatus {
        elements = List.copyOf(elements);
    }

    public static ElementStatus parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        int first = r.u16(0, "FIRST ELEMENT ADDRESS REPORTED");
        int available = r.u16(2, "NUMBER OF ELEMENTS AVAILABLE");
        int byteCount = r.u24(5, "BYTE COUNT OF REPORT AVAILABLE");
        ByteReader report = r.declared(8L + byteCount, "BYTE COUNT OF REPORT AVAILABLE");
        List<ElementDescriptor> elements = new ArrayList<>();
        int offset = 8;
        while (offset < report.limit()) {
            int code = report.u8(offset, "ELEMENT TYPE CODE") & 0x0F;
            ElementType type = ElementType.ofCode(code).orElse(ElementType.ALL);
            if (type == ElementType.ALL) {
                throw report.error(offset, "ELEMENT TYPE CODE " + code + " is not an element type");
            }
            int flags = report.u8(offset + 1, "PVOLTAG/AVOLTAG");
            boolean pVolTag = (flags & 0x80) != 0;
            boolean aVolTag = (flags & 0x40) != 0;
            int descriptorLength = report.u16(offset + 2, "ELEMENT DESCRIPTOR LENGTH");
            int pageBytes = report.u24(offset + 5, "BYTE COUNT OF DESCRIPTOR DATA AVAILABLE");
            int minimum = ElementDescriptor.BASE_LENGTH + (pVolTag ? ElementDescriptor.VOLUME_TAG_LENGTH : 0)
                    + (aVolTag ? ElementDescriptor.VOLUME_TAG_LENGTH : 0);
            if (descriptorLength < minimum) {
                throw report.error(offset + 2, "ELEMENT DESCRIPTOR LENGTH " + descriptorLength + " is shorter than the "
                        + minimum + " bytes its volume tag flags need");
            }
            if (pageBytes % descriptorLength != 0) {
                throw report.error(offset + 5, "BYTE COUNT OF DESCRIPTOR DATA AVAILABLE " + pageBytes
                        + " is not a multiple of the descriptor length " + descriptorLength);
            }
            ByteReader page = report.window(offset + 8, pageBytes, "element status page");
            for (int o = 0; o < pageBytes; o += descriptorLength) {
                elements.add(ElementDescriptor.parse(page.window(o, descriptorLength, "element descriptor"), type, pVolTag, aVolTag));
            }
            offset += 8 + pageBytes;
        }
        return new ElementStatus(first, available, byteCount, elements);
    }

    /** The elements of one type, in the order the library reported them. */
    public List<ElementDescriptor> ofType(ElementType type) {
        return elements.stream().filter(e -> e.type() == type).toList();
    }
}
