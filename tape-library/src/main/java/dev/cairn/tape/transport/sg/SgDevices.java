package dev.cairn.tape.transport.sg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Finds SCSI generic devices through sysfs, without opening them: each {@code class/scsi_generic/sgN}
 * entry, its {@code device} link (whose name is the H:C:T:L address) and the link's {@code type},
 * {@code vendor}, {@code model} and {@code rev} attributes. An entry that cannot be read completely is
 * skipped with a reason, never an exception: a device can vanish between listing and reading, and one
 * odd device must not hide the others.
 *
 * <p>The sysfs root is a constructor parameter so tests can build a fake tree. Reading sysfs needs no
 * privileges; opening the nodes found usually does.
 */
public final class SgDevices {

    private static final Pattern SG_NAME = Pattern.compile("sg\\d{1,9}");

    private final Path sysfsRoot;

    /** Reads the real {@code /sys}. */
    public SgDevices() {
        this(Path.of("/sys"));
    }

    /** Reads {@code sysfsRoot/class/scsi_generic}. */
    public SgDevices(Path sysfsRoot) {
        this.sysfsRoot = Objects.requireNonNull(sysfsRoot, "sysfsRoot");
    }

    /** What a scan found: the devices, sorted by sg number, and the entries it had to skip. */
    public record Scan(List<SgDevice> devices, List<Skipped> skipped) {
        public Scan {
            devices = List.copyOf(devices);
            skipped = List.copyOf(skipped);
        }

        public List<SgDevice> tapeDrives() {
            return devices.stream().filter(SgDevice::isTapeDrive).toList();
        }

        public List<SgDevice> mediumChangers() {
            return devices.stream().filter(SgDevice::isMediumChanger).toList();
        }
    }

    /** An sysfs entry that was not turned into a device, and why. */
    public record Skipped(String entry, String reason) {}

    /**
     * A medium changer and the tape drives on the same host, channel and target (other LUNs), sorted by
     * LUN: the layout of small autoloaders, whose robot is one more LUN of the drive's target.
     */
    public record Library(SgDevice changer, List<SgDevice> drives) {
        public Library {
            Objects.requireNonNull(changer, "changer");
            drives = List.copyOf(drives);
        }
    }

    /** Lists the sg devices. Never throws for what it finds in sysfs. */
    public Scan scan() {
        Path classDir = sysfsRoot.resolve("class").resolve("scsi_generic");
        List<SgDevice> devices = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        if (!Files.isDirectory(classDir)) {
            skipped.add(new Skipped(classDir.toString(),
                    "no such directory: no SCSI generic devices, or the sg driver is not loaded (modprobe sg)"));
            return new Scan(devices, skipped);
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(classDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (SG_NAME.matcher(name).matches()) {
                    names.add(name);
                } else {
                    skipped.add(new Skipped(name, "not an sgN entry"));
                }
            }
        } catch (IOException | RuntimeException e) {
            skipped.add(new Skipped(classDir.toString(), "cannot list: " + describe(e)));
            return new Scan(devices, skipped);
        }
        names.sort(Comparator.comparingInt((String n) -> Integer.parseInt(n.substring(2))));
        for (String name : names) {
            try {
                devices.add(read(classDir.resolve(name), name));
            } catch (SkipException e) {
                skipped.add(new Skipped(name, e.getMessage()));
            }
        }
        return new Scan(devices, skipped);
    }

    /**
     * Groups the changers in {@code devices} with the tape drives on their host:channel:target, one
     * {@link Library} per changer in the order given. Drives behind other targets (most Fibre Channel
     * and SAS libraries put each drive on its own target) are not matched here: pairing them needs the
     * library's element status with device identifiers.
     */
    public static List<Library> pairByTarget(List<SgDevice> devices) {
        List<Library> libraries = new ArrayList<>();
        for (SgDevice changer : devices) {
            if (!changer.isMediumChanger()) {
                continue;
            }
            List<SgDevice> drives = devices.stream()
                    .filter(d -> d.isTapeDrive() && d.hctl().sameTarget(changer.hctl()))
                    .sorted(Comparator.comparing((SgDevice d) -> d.hctl().lun(), Long::compareUnsigned))
                    .toList();
            libraries.add(new Library(changer, drives));
        }
        return libraries;
    }

    /** Tape drives in {@code devices} that share a target with no changer. */
    public static List<SgDevice> unpairedDrives(List<SgDevice> devices) {
        return devices.stream()
                .filter(SgDevice::isTapeDrive)
                .filter(d -> devices.stream().noneMatch(c -> c.isMediumChanger() && c.hctl().sameTarget(d.hctl())))
                .toList();
    }

    private static SgDevice read(Path entry, String name) throws SkipException {
        Path deviceLink = entry.resolve("device");
        Path device;
        try {
            device = deviceLink.toRealPath();
        } catch (NoSuchFileException e) {
            throw new SkipException("no device link (or it points nowhere): " + deviceLink);
        } catch (IOException | RuntimeException e) {
            throw new SkipException("cannot resolve " + deviceLink + ": " + describe(e));
        }
        SgDevice.Hctl hctl;
        try {
            hctl = SgDevice.Hctl.parse(device.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new SkipException("the device link does not end in H:C:T:L: " + device);
        }
        String typeText = attribute(device, "type");
        int type;
        try {
            type = Integer.parseInt(typeText);
        } catch (NumberFormatException e) {
            throw new SkipException("type is not a number: '" + typeText + "' in " + device.resolve("type"));
        }
        if (type < 0 || type > 0x1f) {
            throw new SkipException("type " + type + " is not a SCSI peripheral device type (0 to 31)");
        }
        return new SgDevice("/dev/" + name, hctl, type, attribute(device, "vendor"), attribute(device, "model"),
                attribute(device, "rev"));
    }

    /** An attribute file's text, trimmed (sysfs pads vendor and model with spaces and ends with a newline). */
    private static String attribute(Path device, String attribute) throws SkipException {
        Path file = device.resolve(attribute);
        try {
            // ISO-8859-1 maps every byte, so a device with odd INQUIRY bytes is still listed.
            return Files.readString(file, StandardCharsets.ISO_8859_1).strip();
        } catch (NoSuchFileException e) {
            throw new SkipException("missing " + file);
        } catch (IOException | RuntimeException e) {
            throw new SkipException("cannot read " + file + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static final class SkipException extends Exception {
        private static final long serialVersionUID = 1L;

        SkipException(String reason) {
            super(reason, null, false, false);
        }
    }
}
