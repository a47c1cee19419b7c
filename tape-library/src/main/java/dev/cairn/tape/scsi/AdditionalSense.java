package dev.cairn.tape.scsi;

import java.util.Map;

/**
 * Text for the ADDITIONAL SENSE CODE and QUALIFIER pairs a tape library meets, after SPC-4's ASC/ASCQ
 * assignments (lower-cased). Not the whole table: unknown standard pairs read "unknown", vendor-specific
 * ones (ASC or ASCQ 80h and above) read "vendor specific".
 */
public final class AdditionalSense {
    private AdditionalSense() {
    }

    private static final Map<Integer, String> TEXT = Map.ofEntries(
            e(0x00, 0x00, "no additional sense information"),
            e(0x00, 0x01, "filemark detected"),
            e(0x00, 0x02, "end-of-partition/medium detected"),
            e(0x00, 0x03, "setmark detected"),
            e(0x00, 0x04, "beginning-of-partition/medium detected"),
            e(0x00, 0x05, "end-of-data detected"),
            e(0x00, 0x16, "operation in progress"),
            e(0x04, 0x00, "logical unit not ready, cause not reportable"),
            e(0x04, 0x01, "logical unit is in process of becoming ready"),
            e(0x04, 0x02, "logical unit not ready, initializing command required"),
            e(0x04, 0x03, "logical unit not ready, manual intervention required"),
            e(0x04, 0x07, "logical unit not ready, operation in progress"),
            e(0x04, 0x12, "logical unit not ready, offline"),
            e(0x0C, 0x00, "write error"),
            e(0x11, 0x00, "unrecovered read error"),
            e(0x14, 0x00, "recorded entity not found"),
            e(0x14, 0x03, "end-of-data not found"),
            e(0x1A, 0x00, "parameter list length error"),
            e(0x20, 0x00, "invalid command operation code"),
            e(0x24, 0x00, "invalid field in CDB"),
            e(0x25, 0x00, "logical unit not supported"),
            e(0x26, 0x00, "invalid field in parameter list"),
            e(0x27, 0x00, "write protected"),
            e(0x28, 0x00, "not ready to ready change, medium may have changed"),
            e(0x28, 0x01, "import or export element accessed"),
            e(0x29, 0x00, "power on, reset, or bus device reset occurred"),
            e(0x2A, 0x01, "mode parameters changed"),
            e(0x30, 0x00, "incompatible medium installed"),
            e(0x30, 0x03, "cleaning cartridge installed"),
            e(0x31, 0x00, "medium format corrupted"),
            e(0x3A, 0x00, "medium not present"),
            e(0x3B, 0x00, "sequential positioning error"),
            e(0x3B, 0x0D, "medium destination element full"),
            e(0x3B, 0x0E, "medium source element empty"),
            e(0x3B, 0x11, "medium magazine not accessible"),
            e(0x44, 0x00, "internal target failure"),
            e(0x50, 0x00, "write append error"),
            e(0x53, 0x00, "media load or eject failed"),
            e(0x53, 0x02, "medium removal prevented"),
            e(0x5D, 0x00, "failure prediction threshold exceeded"));

    private static Map.Entry<Integer, String> e(int asc, int ascq, String text) {
        return Map.entry(asc << 8 | ascq, text);
    }

    /** The text for this pair: from the table, "vendor specific", or "unknown". */
    public static String describe(int asc, int ascq) {
        String text = TEXT.get((asc & 0xFF) << 8 | ascq & 0xFF);
        if (text != null) {
            return text;
        }
        if (asc >= 0x80 || ascq >= 0x80) {
            return "vendor specific";
        }
        return "unknown";
    }
}
