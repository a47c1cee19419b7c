package dev.cairn.tape.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * REPORT LUNS data (SPC-4, SAM-5 LUN format): bytes 0-3 LUN LIST LENGTH (a multiple of 8), bytes 4-7
 * reserved, then one 8-byte LUN each. Single-level LUNs are decoded to numbers: peripheral device
 * addressing (byte 0 bits 7-6 = 00b, bus 0; the LUN in byte 1) and flat space addressing (01b; 14-bit
 * LUN in bytes 0-1), with bytes 2-7 zero. Anything else (hierarchical, extended, logical unit
 * addressing) is kept as the raw 64-bit value in {@link #otherLuns()}. tgt reports 0 (its controller
 * LUN) and one LUN per configured drive and changer.
 */
public record ReportLuns(List<Integer> luns, List<Long> otherLuns) {
    private static final String STRUCTURE = "REPORT LUNS data";

    public ReportLuns {
        luns = List.copyOf(luns);
        otherLuns = List.copyOf(otherLuns);
    }

    public static ReportLuns parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        long listLength = r.u32(0, "LUN LIST LENGTH");
        if (listLength % 8 != 0) {
            throw r.error(0, "LUN LIST LENGTH " + listLength + " is not a multiple of 8");
        }
        ByteReader list = r.declared(8 + listLength, "LUN LIST LENGTH");
        List<Integer> luns = new ArrayList<>();
        List<Long> others = new ArrayList<>();
        for (int o = 8; o < list.limit(); o += 8) {
            long raw = list.u64(o, "LUN");
            int method = (int) (raw >>> 62);
            int first = (int) (raw >>> 48) & 0xFFFF;
            boolean singleLevel = (raw & 0xFFFF_FFFF_FFFFL) == 0;
            if (singleLevel && method == 0 && (first >>> 8) == 0) {
                luns.add(first & 0xFF);            // peripheral device addressing, bus 0
            } else if (singleLevel && method == 1) {
                luns.add(first & 0x3FFF);          // flat space addressing
            } else {
                others.add(raw);
            }
        }
        return new ReportLuns(luns, others);
    }
}
