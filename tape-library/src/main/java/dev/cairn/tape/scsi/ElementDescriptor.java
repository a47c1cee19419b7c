package dev.cairn.tape.scsi;

import java.util.Optional;

/**
 * One element of a READ ELEMENT STATUS answer (SMC-3): a gripper, slot, mail slot or drive.
 *
 * <p>Descriptor layout: bytes 0-1 ELEMENT ADDRESS; byte 2 flags (bit 0 FULL, bit 1 IMPEXP, bit 2
 * EXCEPT, bit 3 ACCESS, bit 4 EXENAB, bit 5 INENAB; IMPEXP/EXENAB/INENAB only for import/export
 * elements); bytes 4-5 ASC/ASCQ of the exception; byte 9 bit 7 SVALID, bit 6 INVERT, bits 2-0 MEDIUM
 * TYPE; bytes 10-11 SOURCE STORAGE ELEMENT ADDRESS; from byte 12 the primary volume tag (36 bytes:
 * 32 of identifier, 2 reserved, 2 sequence number) when the page has PVOLTAG, then the alternate one
 * when it has AVOLTAG; then, for data transfer elements, the device identifier (code set, identifier
 * type, identifier length, identifier) when the library reports one.
 *
 * <p>tgt sets only FULL (no ACCESS, IMPEXP, INENAB or EXENAB), pads volume tags with spaces and a NUL,
 * and gives drive identifiers as ASCII T10 vendor IDs "IET     VIRTUAL-TAPE    beaf11".
 *
 * @param primaryVolumeTag   the barcode, trimmed; empty when the page has no volume tags or the element is empty
 * @param alternateVolumeTag likewise for the alternate tag (rare on tape libraries)
 * @param deviceIdentifier   a drive's identifier (DVCID); empty when not requested or not reported
 */
public record ElementDescriptor(ElementType type, int address, boolean full, boolean exception, int asc, int ascq,
                                boolean access, boolean impExp, boolean inEnab, boolean exEnab, boolean sourceValid,
                                int sourceAddress, boolean invert, int mediumType, String primaryVolumeTag,
                                String alternateVolumeTag, Optional<Designator> deviceIdentifier) {
    /** Length of the fixed part of every descriptor (bytes 0-11). */
    static final int BASE_LENGTH = 12;
    /** Length of one volume tag field. */
    static final int VOLUME_TAG_LENGTH = 36;

    /** The source element address when SVALID is set. */
    public Optional<Integer> source() {
        return sourceValid ? Optional.of(sourceAddress) : Optional.empty();
    }

    /** The drive identifier as text (e.g. "IET     VIRTUAL-TAPE    beaf11"). */
    public Optional<String> deviceIdentifierText() {
        return deviceIdentifier.map(Designator::text);
    }

    /** Decodes one descriptor from its window; the page header's flags say which volume tags follow. */
    static ElementDescriptor parse(ByteReader d, ElementType type, boolean pVolTag, boolean aVolTag) {
        int flags = d.u8(2, "element flags");
        boolean ie = type == ElementType.IMPORT_EXPORT;
        int b9 = d.u8(9, "SVALID/INVERT");
        int p = BASE_LENGTH;
        String primary = "";
        if (pVolTag) {
            primary = d.ascii(p, 32, "PRIMARY VOLUME TAG");
            p += VOLUME_TAG_LENGTH;
        }
        String alternate = "";
        if (aVolTag) {
            alternate = d.ascii(p, 32, "ALTERNATE VOLUME TAG");
            p += VOLUME_TAG_LENGTH;
        }
        Optional<Designator> id = Optional.empty();
        if (type == ElementType.DATA_TRANSFER && d.limit() >= p + 4 && d.u8(p + 3, "IDENTIFIER LENGTH") > 0) {
            id = Optional.of(Designator.parse(d, p));
        }
        return new ElementDescriptor(type, d.u16(0, "ELEMENT ADDRESS"), (flags & 0x01) != 0, (flags & 0x04) != 0,
                d.u8(4, "ASC"), d.u8(5, "ASCQ"), (flags & 0x08) != 0, ie && (flags & 0x02) != 0,
                ie && (flags & 0x20) != 0, ie && (flags & 0x10) != 0, (b9 & 0x80) != 0,
                d.u16(10, "SOURCE STORAGE ELEMENT ADDRESS"), (b9 & 0x40) != 0, b9 & 0x07, primary, alternate, id);
    }
}
