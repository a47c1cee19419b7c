package dev.cairn.tape.transport.sg;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SCSI generic device as sysfs describes it.
 *
 * @param path     the device node, {@code /dev/sgN}
 * @param hctl     where it sits: host adapter, channel, target, LUN
 * @param type     the SCSI peripheral device type from INQUIRY ({@link #SEQUENTIAL_ACCESS} 1 for a tape
 *                 drive, {@link #MEDIUM_CHANGER} 8 for a library's robot)
 * @param vendor   T10 vendor identification, trimmed (e.g. "IBM")
 * @param model    product identification, trimmed (e.g. "ULT3580-HH8")
 * @param revision product revision level, trimmed
 */
public record SgDevice(String path, Hctl hctl, int type, String vendor, String model, String revision) {

    /** SPC peripheral device type 01h: sequential-access device (tape drive). */
    public static final int SEQUENTIAL_ACCESS = 1;
    /** SPC peripheral device type 08h: medium changer device. */
    public static final int MEDIUM_CHANGER = 8;

    public SgDevice {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hctl, "hctl");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(revision, "revision");
    }

    public boolean isTapeDrive() {
        return type == SEQUENTIAL_ACCESS;
    }

    public boolean isMediumChanger() {
        return type == MEDIUM_CHANGER;
    }

    /**
     * A SCSI address as Linux writes it, {@code host:channel:target:lun}.
     */
    public record Hctl(int host, int channel, int target, long lun) {
        private static final Pattern FORM = Pattern.compile("(\\d{1,9}):(\\d{1,9}):(\\d{1,9}):(\\d{1,20})");

        /** Parses "2:0:1:0"; throws IllegalArgumentException for anything else. */
        public static Hctl parse(String text) {
            Matcher m = FORM.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a host:channel:target:lun address: '" + text + "'");
            }
            try {
                return new Hctl(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), Long.parseUnsignedLong(m.group(4)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a host:channel:target:lun address: '" + text + "'", e);
            }
        }

        /** True when {@code other} is on the same host, channel and target (any LUN). */
        public boolean sameTarget(Hctl other) {
            return host == other.host && channel == other.channel && target == other.target;
        }

        @Override
        public String toString() {
            return host + ":" + channel + ":" + target + ":" + Long.toUnsignedString(lun);
        }
    }
}
