package dev.cairn.tape.device;

/** What a device says it is: INQUIRY vendor, product and revision, and the unit serial number (VPD page 0x80). */
public record DeviceIdentity(String vendor, String product, String revision, String serial) {
    @Override
    public String toString() {
        return vendor + " " + product + " " + revision + (serial.isEmpty() ? "" : " serial " + serial);
    }
}
