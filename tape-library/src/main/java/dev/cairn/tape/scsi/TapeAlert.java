package dev.cairn.tape.scsi;

import java.util.EnumSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The TapeAlert log page 2Eh (SSC-4), from LOG SENSE: a 4-byte log page header (byte 0 bits 5-0 PAGE
 * CODE, byte 1 SUBPAGE CODE, bytes 2-3 PAGE LENGTH) and log parameters (bytes 0-1 PARAMETER CODE,
 * byte 2 control bits, byte 3 PARAMETER LENGTH, then the value). Parameter code n is flag n (1..64);
 * bit 0 of its one-byte value says whether the flag is set. Parameter codes outside 1..64 are
 * ignored; a parameter that runs past the page length is malformed.
 *
 * <p>Many drives clear the flags when this page is read (LTO drives also offer a non-clearing copy in
 * vendor page 12h). tgt does not implement LOG SENSE (05/2000).
 */
public record TapeAlert(SortedSet<Integer> activeFlags) {
    public static final int PAGE_CODE = 0x2E;
    private static final String STRUCTURE = "TapeAlert log page (2Eh)";

    public TapeAlert {
        activeFlags = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(activeFlags));
    }

    public static TapeAlert parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        int code = r.u8(0, "PAGE CODE") & 0x3F;
        if (code != PAGE_CODE) {
            throw r.error(0, String.format("PAGE CODE is %02Xh, not 2Eh", code));
        }
        int length = r.u16(2, "PAGE LENGTH");
        ByteReader page = r.declared(4L + length, "PAGE LENGTH");
        SortedSet<Integer> active = new TreeSet<>();
        int offset = 4;
        while (offset < page.limit()) {
            int parameter = page.u16(offset, "PARAMETER CODE");
            int parameterLength = page.u8(offset + 3, "PARAMETER LENGTH");
            ByteReader value = page.window(offset + 4, parameterLength, "parameter value");
            if (parameter >= 1 && parameter <= 64 && parameterLength > 0 && value.bit(0, 0, "flag")) {
                active.add(parameter);
            }
            offset += 4 + parameterLength;
        }
        return new TapeAlert(active);
    }

    public boolean isActive(int flag) {
        return activeFlags.contains(flag);
    }

    public boolean isActive(TapeAlertFlag flag) {
        return activeFlags.contains(flag.number());
    }

    /** The active flags that have a standard name. */
    public Set<TapeAlertFlag> flags() {
        EnumSet<TapeAlertFlag> set = EnumSet.noneOf(TapeAlertFlag.class);
        for (int n : activeFlags) {
            TapeAlertFlag.ofNumber(n).ifPresent(set::add);
        }
        return set;
    }
}
