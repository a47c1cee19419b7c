package dev.cairn.tape.device;

import java.util.List;

/**
 * How a model departs from SSC-4 / SMC-3, as data keyed by INQUIRY vendor and product (the Bareos habit:
 * capabilities, not vendor if-chains). Every device gets {@link #STANDARD} unless a row matches. Each
 * flag is a behaviour the device layer changes for; docs/tape.md lists them with what was measured.
 *
 * @param readPositionReliable   READ POSITION returns the real position (tgt: all zeros)
 * @param locateSupported        LOCATE(10/16) works (tgt: ILLEGAL REQUEST); without it the layer navigates with SPACE
 * @param eomReportedWithoutStop past the end of the cartridge every write reports EOM but is still stored, and
 *                               there is no early-warning zone (tgt); on real drives EOM with 00/02 is the early warning
 * @param wormFlagReliable       the WORMM bit of mode page 1Dh tells WORM cartridges apart (tgt: set for every cartridge)
 * @param wormEnforced           the drive refuses overwrites on WORM media (tgt: does not)
 * @param loadUnloadIsStartStop  LOAD UNLOAD behaves like START STOP UNIT: 02h takes the drive offline, 03h back online (tgt)
 * @param iliTransferUnreliable  on a short block (ILI) the transfer length and residual are wrong; only the sense
 *                               Information field can be trusted (tgt sends requested - block bytes)
 * @param elementStatusPerType   READ ELEMENT STATUS must be asked per element type (tgt: "all types" is corrupt)
 * @param mailSlotFlagsReported  import/export elements report ImpExp, Access, InEnab and ExEnab (tgt: only FULL)
 * @param elementReportShortBy8 READ ELEMENT STATUS forgets the 8-byte page header when it sizes its answer: the
 *                               header's byte count includes the report header and the last 8 bytes of the last
 *                               descriptor are cut off (tgt: the tail of a volume tag, or of a drive's serial number
 *                               in its device identifier, so drives are then paired with elements by order)
 */
public record Quirks(String name, boolean readPositionReliable, boolean locateSupported, boolean eomReportedWithoutStop,
                     boolean wormFlagReliable, boolean wormEnforced, boolean loadUnloadIsStartStop,
                     boolean iliTransferUnreliable, boolean elementStatusPerType, boolean mailSlotFlagsReported,
                     boolean elementReportShortBy8) {

    /** What SSC-4 and SMC-3 promise. Element status is still asked per type: that is valid everywhere. */
    public static final Quirks STANDARD = new Quirks("standard", true, true, false, true, true, false, false, true, true, false);

    /** The Linux SCSI target daemon (tgt 1.0.85) emulating tapes and a changer; measured in docs/tape.md. */
    public static final Quirks TGT = new Quirks("tgt virtual tape library", false, false, true, false, false, true, true, true, false, true);

    private record Row(String vendor, String productPrefix, Quirks quirks) {
    }

    private static final List<Row> TABLE = List.of(
            new Row("IET", "VIRTUAL-TAPE", TGT),
            new Row("IET", "VIRTUAL-CHANGER", TGT));

    /** The quirks of a device, by its INQUIRY vendor and product. */
    public static Quirks of(String vendor, String product) {
        for (Row r : TABLE) {
            if (r.vendor.equalsIgnoreCase(vendor.strip()) && product.strip().toUpperCase().startsWith(r.productPrefix)) {
                return r.quirks;
            }
        }
        return STANDARD;
    }
}
