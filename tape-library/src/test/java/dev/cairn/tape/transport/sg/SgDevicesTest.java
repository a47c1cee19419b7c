package dev.cairn.tape.transport.sg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SgDevices} on a fake sysfs tree laid out like the real one:
 * {@code class/scsi_generic/sgN -> ../../devices/.../H:C:T:L/scsi_generic/sgN}, and inside it
 * {@code device -> ../../../H:C:T:L}, whose directory holds {@code type}, {@code vendor}, {@code model},
 * {@code rev} (vendor and model space-padded, every file ending in a newline, as the kernel writes them).
 */
class SgDevicesTest {

    @TempDir
    Path sys;

    private Path classDir;

    @BeforeEach
    void tree() throws IOException {
        classDir = Files.createDirectories(sys.resolve("class/scsi_generic"));
        Path pci = sys.resolve("devices/pci0000:00/0000:00:1f.0");
        // An autoloader: drive LUN 0 and changer LUN 1 on target 2:0:3.
        device(pci.resolve("host2/target2:0:3"), "2:0:3:0", "sg1", "1", "IBM     ", "ULT3580-HH8     ", "N9M1");
        device(pci.resolve("host2/target2:0:3"), "2:0:3:1", "sg2", "8", "IBM     ", "3573-TL         ", "F.11");
        // A disk, listed but neither tape nor changer.
        device(pci.resolve("host0/target0:0:0"), "0:0:0:0", "sg0", "0", "ATA     ", "Samsung SSD 870 ", "2B6Q");
        // A standalone drive on another adapter; sg10 sorts after sg2.
        device(pci.resolve("host4/target4:0:5"), "4:0:5:0", "sg10", "1", "HP      ", "Ultrium 6-SCSI  ", "35GD");
    }

    /** Makes the device directory, its attributes, its scsi_generic/sgN with the device link, and the class link. */
    private Path device(Path target, String hctl, String sg, String type, String vendor, String model, String rev)
            throws IOException {
        Path dev = Files.createDirectories(target.resolve(hctl));
        if (type != null) {
            Files.writeString(dev.resolve("type"), type + "\n");
        }
        if (vendor != null) {
            Files.writeString(dev.resolve("vendor"), vendor + "\n");
        }
        if (model != null) {
            Files.writeString(dev.resolve("model"), model + "\n");
        }
        if (rev != null) {
            Files.writeString(dev.resolve("rev"), rev + "\n");
        }
        Path sgDir = Files.createDirectories(dev.resolve("scsi_generic").resolve(sg));
        Files.createSymbolicLink(sgDir.resolve("device"), Path.of("../../../" + hctl));
        Files.createSymbolicLink(classDir.resolve(sg), classDir.relativize(sgDir));
        return dev;
    }

    @Test
    void listsEveryDeviceWithItsAddressAndIdentity() {
        SgDevices.Scan scan = new SgDevices(sys).scan();
        assertThat(scan.skipped()).isEmpty();
        assertThat(scan.devices()).extracting(SgDevice::path)
                .containsExactly("/dev/sg0", "/dev/sg1", "/dev/sg2", "/dev/sg10");
        SgDevice drive = scan.devices().get(1);
        assertThat(drive).isEqualTo(new SgDevice("/dev/sg1", new SgDevice.Hctl(2, 0, 3, 0), 1, "IBM", "ULT3580-HH8", "N9M1"));
        assertThat(drive.isTapeDrive()).isTrue();
        assertThat(drive.isMediumChanger()).isFalse();
        SgDevice changer = scan.devices().get(2);
        assertThat(changer.hctl().toString()).isEqualTo("2:0:3:1");
        assertThat(changer.isMediumChanger()).isTrue();
        assertThat(changer.model()).isEqualTo("3573-TL");
        assertThat(changer.revision()).isEqualTo("F.11");
        assertThat(scan.tapeDrives()).extracting(SgDevice::path).containsExactly("/dev/sg1", "/dev/sg10");
        assertThat(scan.mediumChangers()).extracting(SgDevice::path).containsExactly("/dev/sg2");
    }

    @Test
    void pairsChangersWithDrivesOnTheSameTarget() throws IOException {
        // A second drive on the autoloader's target, LUN 2, listed before the first.
        device(sys.resolve("devices/pci0000:00/0000:00:1f.0/host2/target2:0:3"), "2:0:3:2", "sg5", "1", "IBM", "ULT3580-HH8", "N9M1");
        SgDevices.Scan scan = new SgDevices(sys).scan();
        List<SgDevices.Library> libraries = SgDevices.pairByTarget(scan.devices());
        assertThat(libraries).hasSize(1);
        assertThat(libraries.getFirst().changer().path()).isEqualTo("/dev/sg2");
        assertThat(libraries.getFirst().drives()).extracting(SgDevice::path).containsExactly("/dev/sg1", "/dev/sg5");
        assertThat(SgDevices.unpairedDrives(scan.devices())).extracting(SgDevice::path).containsExactly("/dev/sg10");
    }

    @Test
    void aChangerWithoutDrivesOnItsTargetStillFormsALibrary() {
        SgDevice changer = new SgDevice("/dev/sg4", new SgDevice.Hctl(6, 0, 1, 0), 8, "QUANTUM", "Scalar i3-i6", "100G");
        SgDevice drive = new SgDevice("/dev/sg5", new SgDevice.Hctl(6, 0, 2, 0), 1, "IBM", "ULTRIUM-HH9", "Q3F5");
        List<SgDevices.Library> libraries = SgDevices.pairByTarget(List.of(changer, drive));
        assertThat(libraries).containsExactly(new SgDevices.Library(changer, List.of()));
        assertThat(SgDevices.unpairedDrives(List.of(changer, drive))).containsExactly(drive);
    }

    @Test
    void brokenEntriesAreSkippedWithAReasonAndTheRestStillListed() throws IOException {
        Path host = sys.resolve("devices/pci0000:00/0000:00:1f.0/host7/target7:0:0");
        // sg3: the device link points nowhere (device removed mid-scan).
        Path sg3 = Files.createDirectories(host.resolve("gone/scsi_generic/sg3"));
        Files.createSymbolicLink(sg3.resolve("device"), Path.of("../../../7:0:0:9"));
        Files.createSymbolicLink(classDir.resolve("sg3"), classDir.relativize(sg3));
        // sg4: no type attribute.
        device(host, "7:0:0:4", "sg4", null, "IBM", "X", "1");
        // sg5: vendor unreadable (a directory where a file should be: fails even for root).
        Path dev5 = device(host, "7:0:0:5", "sg5", "1", null, "X", "1");
        Files.createDirectories(dev5.resolve("vendor"));
        // sg6: type is not a number.
        device(host, "7:0:0:6", "sg6", "tape", "IBM", "X", "1");
        // sg7: the device link does not end in H:C:T:L.
        Path odd = Files.createDirectories(host.resolve("not-an-address"));
        Files.writeString(odd.resolve("type"), "1\n");
        Path sg7 = Files.createDirectories(odd.resolve("scsi_generic/sg7"));
        Files.createSymbolicLink(sg7.resolve("device"), Path.of("../.."));
        Files.createSymbolicLink(classDir.resolve("sg7"), classDir.relativize(sg7));
        // sg8: no device link at all.
        Files.createDirectories(classDir.resolve("sg8"));
        // sg9: an address with trailing junk.
        device(host, "7:0:0:9x", "sg9", "40", "IBM", "X", "1");
        // A stray entry that is not sgN.
        Files.createDirectories(classDir.resolve("version"));

        SgDevices.Scan scan = new SgDevices(sys).scan();
        assertThat(scan.devices()).extracting(SgDevice::path).containsExactly("/dev/sg0", "/dev/sg1", "/dev/sg2", "/dev/sg10");
        Map<String, String> reasons = scan.skipped().stream()
                .collect(Collectors.toMap(SgDevices.Skipped::entry, SgDevices.Skipped::reason));
        assertThat(reasons).containsOnlyKeys("sg3", "sg4", "sg5", "sg6", "sg7", "sg8", "sg9", "version");
        assertThat(reasons.get("sg3")).startsWith("no device link");
        assertThat(reasons.get("sg4")).startsWith("missing ").endsWith("7:0:0:4/type");
        assertThat(reasons.get("sg5")).startsWith("cannot read ").contains("7:0:0:5/vendor");
        assertThat(reasons.get("sg6")).contains("type is not a number: 'tape'");
        assertThat(reasons.get("sg7")).contains("does not end in H:C:T:L");
        assertThat(reasons.get("sg8")).startsWith("no device link");
        assertThat(reasons.get("sg9")).contains("does not end in H:C:T:L");
        assertThat(reasons.get("version")).isEqualTo("not an sgN entry");
    }

    @Test
    void typeOutOfRangeIsSkipped() throws IOException {
        device(sys.resolve("devices/x/host8/target8:0:0"), "8:0:0:0", "sg20", "40", "IBM", "X", "1");
        SgDevices.Scan scan = new SgDevices(sys).scan();
        assertThat(scan.skipped()).singleElement().satisfies(s -> {
            assertThat(s.entry()).isEqualTo("sg20");
            assertThat(s.reason()).contains("type 40 is not a SCSI peripheral device type");
        });
    }

    @Test
    void noScsiGenericClassMeansNoDevicesAndSaysWhy(@TempDir Path empty) {
        SgDevices.Scan scan = new SgDevices(empty).scan();
        assertThat(scan.devices()).isEmpty();
        assertThat(scan.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("modprobe sg"));
    }

    @Test
    void theRealSysfsScansWithoutThrowing() {
        // Runs on this machine's /sys. Here (no sg driver) that means no devices and one reason; on an
        // appliance it lists whatever is attached.
        SgDevices.Scan scan = new SgDevices().scan();
        if (!Files.isDirectory(Path.of("/sys/class/scsi_generic"))) {
            assertThat(scan.devices()).isEmpty();
            assertThat(scan.skipped()).singleElement().satisfies(s -> assertThat(s.entry()).isEqualTo("/sys/class/scsi_generic"));
        }
        assertThat(scan.devices()).allSatisfy(d -> assertThat(d.path()).matches("/dev/sg\\d+"));
    }

    @Test
    void hctlParsing() {
        assertThat(SgDevice.Hctl.parse("2:0:3:1")).isEqualTo(new SgDevice.Hctl(2, 0, 3, 1));
        assertThat(SgDevice.Hctl.parse("0:0:0:18446744073709551615").toString()).isEqualTo("0:0:0:18446744073709551615");
        assertThat(SgDevice.Hctl.parse("1:0:2:0").sameTarget(SgDevice.Hctl.parse("1:0:2:5"))).isTrue();
        assertThat(SgDevice.Hctl.parse("1:0:2:0").sameTarget(SgDevice.Hctl.parse("1:1:2:0"))).isFalse();
        for (String bad : List.of("", "2:0:3", "2:0:3:1:0", "a:b:c:d", "-1:0:0:0", "2:0:3:1 ", "99999999999:0:0:0")) {
            assertThatThrownBy(() -> SgDevice.Hctl.parse(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
