package dev.cairn.tape.scsi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One mode page as the device sent it, header included: byte 0 bit 7 PS (parameters saveable), bit 6
 * SPF (subpage format), bits 5-0 PAGE CODE; then either byte 1 PAGE LENGTH (page_0 format) or byte 1
 * SUBPAGE CODE and bytes 2-3 PAGE LENGTH (sub_page format). Decoders such as
 * {@link DataCompressionPage} read from these bytes.
 */
public record ModePage(int code, int subpage, boolean parametersSaveable, boolean subpageFormat, byte[] bytes) {
    public ModePage {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Length of the page header: 2 in page_0 format, 4 in sub_page format. */
    public int headerLength() {
        return subpageFormat ? 4 : 2;
    }

    /**
     * The page as it goes back into a MODE SELECT parameter list: the same bytes with PS cleared
     * (PS is reserved in MODE SELECT).
     */
    public byte[] forModeSelect() {
        byte[] b = bytes.clone();
        b[0] &= 0x7F;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModePage p && p.code == code && p.subpage == subpage && p.parametersSaveable == parametersSaveable
                && p.subpageFormat == subpageFormat && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * code + subpage) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return String.format("ModePage[%02Xh/%02Xh %s]", code, subpage, HexFormat.of().formatHex(bytes));
    }

    /** Decodes the page at {@code offset}; it must fit within the reader. */
    static ModePage parse(ByteReader r, int offset) {
        int b0 = r.u8(offset, "PAGE CODE");
        boolean spf = (b0 & 0x40) != 0;
        int subpage;
        int total;
        if (spf) {
            subpage = r.u8(offset + 1, "SUBPAGE CODE");
            total = 4 + r.u16(offset + 2, "PAGE LENGTH");
        } else {
            subpage = 0;
            total = 2 + r.u8(offset + 1, "PAGE LENGTH");
        }
        return new ModePage(b0 & 0x3F, subpage, (b0 & 0x80) != 0, spf, r.bytes(offset, total, "mode page"));
    }

    /** A reader over a page's bytes for a page decoder, after checking its code and minimum length. */
    static ByteReader reader(String structure, byte[] page, int code, int minimumPageLength) {
        ByteReader r = ByteReader.of(structure, page);
        int actual = r.u8(0, "PAGE CODE") & 0x3F;
        if (actual != code) {
            throw r.error(0, String.format("PAGE CODE is %02Xh, not %02Xh", actual, code));
        }
        if ((r.u8(0, "SPF") & 0x40) != 0) {
            throw r.error(0, "SPF is set: this page has no subpages");
        }
        int length = r.u8(1, "PAGE LENGTH");
        if (length < minimumPageLength) {
            throw r.error(1, "PAGE LENGTH " + length + " is shorter than " + minimumPageLength);
        }
        return r.declared(2L + length, "PAGE LENGTH");
    }
}
