package dev.cairn.tape.device;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.ElementDescriptor;
import dev.cairn.tape.scsi.ElementStatus;
import dev.cairn.tape.scsi.ElementType;
import dev.cairn.tape.scsi.ScsiDecodeException;
import dev.cairn.tape.scsi.Smc;
import dev.cairn.tape.transport.ScsiTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A medium changer (SMC-3): inventory with barcodes, moves between storage slots, drives and
 * import/export (mail) slots. Element status is read one element type at a time, which every changer
 * accepts and which tgt needs ("all types" comes back corrupt there). Not thread safe.
 */
public final class MediaChanger {
    public static final Duration MOVE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int ALLOCATION = 0xfff0;

    private final ScsiDevice device;
    private final DeviceIdentity identity;
    private final Quirks quirks;

    private MediaChanger(ScsiDevice device, DeviceIdentity identity, Quirks quirks) {
        this.device = device;
        this.identity = identity;
        this.quirks = quirks;
    }

    public static MediaChanger open(ScsiTransport transport, int lun) {
        ScsiDevice d = new ScsiDevice(transport, lun, Duration.ofMinutes(2));
        DeviceIdentity id = d.identify(TIMEOUT);
        return new MediaChanger(d, id, Quirks.of(id.vendor(), id.product()));
    }

    public DeviceIdentity identity() {
        return identity;
    }

    public Quirks quirks() {
        return quirks;
    }

    public String name() {
        return device.name();
    }

    public int lun() {
        return device.lun();
    }

    /**
     * One element as the changer reports it.
     *
     * @param barcode        the primary volume tag, or "" when none (or the element is empty)
     * @param sourceAddress  where the cartridge came from, when the changer knows (SVALID)
     * @param exception      the element is in an abnormal state ({@code exceptionText} says which)
     * @param driveIdentifier for drives: the DVCID identifier ("IET VIRTUAL-TAPE beaf11"), else ""
     */
    public record Element(ElementType type, int address, boolean full, String barcode, Optional<Integer> sourceAddress,
                          boolean exception, String exceptionText, String driveIdentifier) {
    }

    /** Every element by type, in address order. */
    public record Inventory(List<Element> transports, List<Element> storage, List<Element> importExport, List<Element> drives) {
        public List<Element> all() {
            List<Element> l = new ArrayList<>(transports);
            l.addAll(storage);
            l.addAll(importExport);
            l.addAll(drives);
            return l;
        }

        public Optional<Element> at(int address) {
            return all().stream().filter(e -> e.address() == address).findFirst();
        }

        /** The element holding the cartridge with this barcode. */
        public Optional<Element> find(String barcode) {
            return all().stream().filter(e -> e.full() && e.barcode().equals(barcode)).findFirst();
        }
    }

    public Inventory inventory() {
        return new Inventory(elements(ElementType.MEDIUM_TRANSPORT), elements(ElementType.STORAGE),
                elements(ElementType.IMPORT_EXPORT), elements(ElementType.DATA_TRANSFER));
    }

    private List<Element> elements(ElementType type) {
        Cdb cdb = Smc.readElementStatus(type, 0, 0xffff, true, type == ElementType.DATA_TRANSFER, ALLOCATION);
        byte[] data = device.require(cdb, null, TIMEOUT).data();
        if (quirks.elementReportShortBy8() && data.length >= 8) {
            data = restoreShortReport(data);
        }
        ElementStatus status;
        try {
            status = ElementStatus.parse(data);
        } catch (ScsiDecodeException e) {
            throw new TapeException(device.name() + ": READ ELEMENT STATUS (" + type + ") answered something unreadable: "
                    + e.getMessage(), e);
        }
        List<Element> out = new ArrayList<>();
        for (ElementDescriptor d : status.elements()) {
            if (d.type() != type) {
                continue;
            }
            out.add(new Element(d.type(), d.address(), d.full(), d.full() ? d.primaryVolumeTag() : "", d.source(),
                    d.exception(), d.exception() ? String.format("%02X/%02X", d.asc(), d.ascq()) : "",
                    d.deviceIdentifierText().orElse("")));
        }
        out.sort((a, b) -> Integer.compare(a.address(), b.address()));
        return out;
    }

    /**
     * tgt sizes its answer as 8 + descriptors, forgetting the page header: the header's byte count is the
     * whole answer and the last descriptor lacks its final 8 bytes. Put back 8 zero bytes (the lost
     * bytes are padding of a volume tag, or the tail of a drive serial) and the SMC-3 byte count.
     */
    static byte[] restoreShortReport(byte[] data) {
        int declared = ((data[5] & 0xff) << 16) | ((data[6] & 0xff) << 8) | (data[7] & 0xff);
        if (declared != data.length) {
            return data; // not the tgt shape: leave it to the decoder
        }
        if (data.length == 8) { // no element of this type: tgt sends the header alone, claiming 8 bytes after it
            byte[] empty = data.clone();
            empty[5] = 0;
            empty[6] = 0;
            empty[7] = 0;
            return empty;
        }
        if (data.length < 16) {
            return data;
        }
        byte[] fixed = java.util.Arrays.copyOf(data, data.length + 8);
        int count = data.length; // = 8 (page header) + descriptors: the SMC-3 report byte count
        fixed[5] = (byte) (count >>> 16);
        fixed[6] = (byte) (count >>> 8);
        fixed[7] = (byte) count;
        return fixed;
    }

    /**
     * MOVE MEDIUM from element {@code source} to {@code destination} with the first medium transport.
     *
     * @throws TapeException.SourceEmptyException     when there is no cartridge at {@code source}
     * @throws TapeException.DestinationFullException when {@code destination} already holds one
     */
    public void move(int source, int destination) {
        int transport = transportAddress();
        device.require(Smc.moveMedium(transport, source, destination, false), null, MOVE_TIMEOUT);
    }

    /** INITIALIZE ELEMENT STATUS: the changer re-scans its elements (barcodes) after a door was opened. */
    public void rescan() {
        device.require(Smc.initializeElementStatus(), null, Duration.ofHours(1));
    }

    private int transportAddress() {
        List<Element> t = elements(ElementType.MEDIUM_TRANSPORT);
        if (t.isEmpty()) {
            throw new TapeException(device.name() + " reports no medium transport element", (dev.cairn.tape.scsi.Sense) null);
        }
        return t.getFirst().address();
    }
}
