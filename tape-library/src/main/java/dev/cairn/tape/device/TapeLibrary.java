package dev.cairn.tape.device;

import dev.cairn.tape.scsi.InquiryData;
import dev.cairn.tape.scsi.ReportLuns;
import dev.cairn.tape.scsi.Spc;
import dev.cairn.tape.transport.ScsiTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A library behind one transport: its changer and drives, found with REPORT LUNS and INQUIRY, and each
 * drive paired with its data transfer element by serial number (the changer's DVCID identifier carries
 * the drive's serial). When a changer gives no identifiers, drives are paired in element and LUN order
 * and {@link #pairedBySerial()} says so. Closing the library closes the transport.
 */
public final class TapeLibrary implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ScsiTransport transport;
    private final MediaChanger changer;
    private final Map<Integer, TapeDrive> drivesByElement;
    private final boolean pairedBySerial;

    private TapeLibrary(ScsiTransport transport, MediaChanger changer, Map<Integer, TapeDrive> drivesByElement, boolean bySerial) {
        this.transport = transport;
        this.changer = changer;
        this.drivesByElement = drivesByElement;
        this.pairedBySerial = bySerial;
    }

    public static TapeLibrary open(ScsiTransport transport) {
        ScsiDevice lun0 = new ScsiDevice(transport, 0, TIMEOUT);
        List<Integer> luns = ReportLuns.parse(lun0.require(Spc.reportLuns(8 + 8 * 256), null, TIMEOUT).data()).luns();
        MediaChanger changer = null;
        List<TapeDrive> drives = new ArrayList<>();
        for (int lun : luns) {
            InquiryData inq = InquiryData.parse(new ScsiDevice(transport, lun, TIMEOUT).require(Spc.inquiry(96), null, TIMEOUT).data());
            if (inq.isMediumChanger() && changer == null) {
                changer = MediaChanger.open(transport, lun);
            } else if (inq.isTapeDrive()) {
                drives.add(TapeDrive.open(transport, lun));
            }
        }
        if (changer == null) {
            throw new TapeException(transport.describe() + " has no medium changer (LUNs " + luns + ")", (dev.cairn.tape.scsi.Sense) null);
        }
        List<MediaChanger.Element> elements = changer.inventory().drives();
        Map<Integer, TapeDrive> byElement = new LinkedHashMap<>();
        boolean bySerial = true;
        for (MediaChanger.Element e : elements) {
            TapeDrive match = drives.stream().filter(d -> !d.identity().serial().isEmpty()
                    && e.driveIdentifier().strip().endsWith(d.identity().serial())).findFirst().orElse(null);
            if (match != null) {
                byElement.put(e.address(), match);
            }
        }
        if (byElement.size() != Math.min(elements.size(), drives.size())) {
            bySerial = false;
            byElement.clear();
            for (int i = 0; i < Math.min(elements.size(), drives.size()); i++) {
                byElement.put(elements.get(i).address(), drives.get(i));
            }
        }
        return new TapeLibrary(transport, changer, byElement, bySerial);
    }

    public MediaChanger changer() {
        return changer;
    }

    /** Drives by data transfer element address, in address order. */
    public Map<Integer, TapeDrive> drives() {
        return drivesByElement;
    }

    /** The {@code index}-th drive (0-based, element address order). */
    public TapeDrive drive(int index) {
        List<TapeDrive> l = new ArrayList<>(drivesByElement.values());
        if (index < 0 || index >= l.size()) {
            throw new IllegalArgumentException("drive " + index + " does not exist: the library has " + l.size() + " drives (0.." + (l.size() - 1) + ")");
        }
        return l.get(index);
    }

    /** The data transfer element address of the {@code index}-th drive. */
    public int driveElement(int index) {
        List<Integer> l = new ArrayList<>(drivesByElement.keySet());
        if (index < 0 || index >= l.size()) {
            throw new IllegalArgumentException("drive " + index + " does not exist: the library has " + l.size() + " drives");
        }
        return l.get(index);
    }

    public boolean pairedBySerial() {
        return pairedBySerial;
    }

    public ScsiTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        transport.close();
    }
}
