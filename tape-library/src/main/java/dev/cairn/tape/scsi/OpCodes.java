package dev.cairn.tape.scsi;

/**
 * Operation codes and service actions of the commands Cairn sends, with their T10 names (the CDB size
 * is part of the name where the standard defines several sizes). Values are fixed by SPC-4, SSC-4 and
 * SMC-3; they are listed once here, like Linux's {@code include/scsi/scsi_proto.h}, and used by the
 * builders and by capability checks against {@link SupportedOperationCodes}.
 */
public final class OpCodes {
    private OpCodes() {
    }

    // SPC-4 (all device types)
    public static final int TEST_UNIT_READY = 0x00;
    public static final int REQUEST_SENSE = 0x03;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SELECT_6 = 0x15;
    public static final int MODE_SENSE_6 = 0x1A;
    public static final int PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1E;
    public static final int LOG_SENSE = 0x4D;
    public static final int MODE_SELECT_10 = 0x55;
    public static final int MODE_SENSE_10 = 0x5A;
    public static final int READ_ATTRIBUTE = 0x8C;
    public static final int WRITE_ATTRIBUTE = 0x8D;
    public static final int REPORT_LUNS = 0xA0;
    public static final int SECURITY_PROTOCOL_IN = 0xA2;
    /** MAINTENANCE IN; Cairn uses service action {@link #SA_REPORT_SUPPORTED_OPERATION_CODES}. */
    public static final int MAINTENANCE_IN = 0xA3;
    public static final int SA_REPORT_SUPPORTED_OPERATION_CODES = 0x0C;
    public static final int SECURITY_PROTOCOL_OUT = 0xB5;

    // SSC-4 (sequential-access devices)
    public static final int REWIND = 0x01;
    public static final int READ_BLOCK_LIMITS = 0x05;
    public static final int READ_6 = 0x08;
    public static final int WRITE_6 = 0x0A;
    public static final int WRITE_FILEMARKS_6 = 0x10;
    public static final int SPACE_6 = 0x11;
    public static final int ERASE_6 = 0x19;
    public static final int LOAD_UNLOAD = 0x1B;
    public static final int LOCATE_10 = 0x2B;
    public static final int READ_POSITION = 0x34;
    public static final int SA_READ_POSITION_SHORT = 0x00;
    public static final int SA_READ_POSITION_LONG = 0x06;
    public static final int LOCATE_16 = 0x92;

    // SMC-3 (medium changers)
    public static final int INITIALIZE_ELEMENT_STATUS = 0x07;
    public static final int INITIALIZE_ELEMENT_STATUS_WITH_RANGE = 0x37;
    public static final int MOVE_MEDIUM = 0xA5;
    public static final int READ_ELEMENT_STATUS = 0xB8;
}
