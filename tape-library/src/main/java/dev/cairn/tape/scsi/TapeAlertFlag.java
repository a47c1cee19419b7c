package dev.cairn.tape.scsi;

import java.util.Optional;

/**
 * The standard TapeAlert flags of a tape drive (SSC-4 annex, TapeAlert log page 2Eh). Flags 40-48
 * are loader flags (obsolete for drives) and 61-64 are reserved; they have no constant here but are
 * still reported by number in {@link TapeAlert#activeFlags()}.
 */
public enum TapeAlertFlag {
    READ_WARNING(1, "read warning"),
    WRITE_WARNING(2, "write warning"),
    HARD_ERROR(3, "hard error"),
    MEDIA(4, "media"),
    READ_FAILURE(5, "read failure"),
    WRITE_FAILURE(6, "write failure"),
    MEDIA_LIFE(7, "media life"),
    NOT_DATA_GRADE(8, "not data grade"),
    WRITE_PROTECT(9, "write protect"),
    NO_REMOVAL(10, "no removal"),
    CLEANING_MEDIA(11, "cleaning media"),
    UNSUPPORTED_FORMAT(12, "unsupported format"),
    RECOVERABLE_MECHANICAL_CARTRIDGE_FAILURE(13, "recoverable mechanical cartridge failure"),
    UNRECOVERABLE_MECHANICAL_CARTRIDGE_FAILURE(14, "unrecoverable mechanical cartridge failure"),
    MEMORY_CHIP_IN_CARTRIDGE_FAILURE(15, "memory chip in cartridge failure"),
    FORCED_EJECT(16, "forced eject"),
    READ_ONLY_FORMAT(17, "read only format"),
    TAPE_DIRECTORY_CORRUPTED_ON_LOAD(18, "tape directory corrupted on load"),
    NEARING_MEDIA_LIFE(19, "nearing media life"),
    CLEAN_NOW(20, "clean now"),
    CLEAN_PERIODIC(21, "clean periodic"),
    EXPIRED_CLEANING_MEDIA(22, "expired cleaning media"),
    INVALID_CLEANING_TAPE(23, "invalid cleaning tape"),
    RETENSION_REQUESTED(24, "retension requested"),
    HOST_CHANNEL_FAILURE(25, "host channel failure"),
    COOLING_FAN_FAILURE(26, "cooling fan failure"),
    POWER_SUPPLY_FAILURE(27, "power supply failure"),
    POWER_CONSUMPTION(28, "power consumption"),
    DRIVE_MAINTENANCE(29, "drive maintenance"),
    HARDWARE_A(30, "hardware A"),
    HARDWARE_B(31, "hardware B"),
    INTERFACE(32, "interface"),
    EJECT_MEDIA(33, "eject media"),
    DOWNLOAD_FAULT(34, "download fault"),
    DRIVE_HUMIDITY(35, "drive humidity"),
    DRIVE_TEMPERATURE(36, "drive temperature"),
    DRIVE_VOLTAGE(37, "drive voltage"),
    PREDICTIVE_FAILURE(38, "predictive failure"),
    DIAGNOSTICS_REQUIRED(39, "diagnostics required"),
    DIMINISHED_NATIVE_CAPACITY(49, "diminished native capacity"),
    LOST_STATISTICS(50, "lost statistics"),
    TAPE_DIRECTORY_INVALID_AT_UNLOAD(51, "tape directory invalid at unload"),
    TAPE_SYSTEM_AREA_WRITE_FAILURE(52, "tape system area write failure"),
    TAPE_SYSTEM_AREA_READ_FAILURE(53, "tape system area read failure"),
    NO_START_OF_DATA(54, "no start of data"),
    LOADING_FAILURE(55, "loading failure"),
    UNRECOVERABLE_UNLOAD_FAILURE(56, "unrecoverable unload failure"),
    AUTOMATION_INTERFACE_FAILURE(57, "automation interface failure"),
    FIRMWARE_FAILURE(58, "firmware failure"),
    WORM_MEDIUM_INTEGRITY_CHECK_FAILED(59, "WORM medium integrity check failed"),
    WORM_MEDIUM_OVERWRITE_ATTEMPTED(60, "WORM medium overwrite attempted");

    private final int number;
    private final String text;

    TapeAlertFlag(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The flag number, which is also the log parameter code (1..64). */
    public int number() {
        return number;
    }

    public String text() {
        return text;
    }

    public static Optional<TapeAlertFlag> ofNumber(int number) {
        for (TapeAlertFlag f : values()) {
            if (f.number == number) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
