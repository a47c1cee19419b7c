package dev.cairn.tape.scsi;

/**
 * The only key to {@link Ssc#erase}: ERASE destroys every block from the current position to the
 * end of the tape, so no code path can build the CDB by accident. The caller has to name the
 * cartridge it means to destroy; the device layer is expected to check that barcode against the
 * cartridge that is actually loaded before it sends the command.
 */
public final class EraseConfirmation {
    private final String barcode;

    private EraseConfirmation(String barcode) {
        this.barcode = barcode;
    }

    /**
     * Confirms that the tape with {@code barcode} may be erased.
     *
     * @throws IllegalArgumentException when the barcode is null or blank
     */
    public static EraseConfirmation iUnderstandThisDestroysTheTape(String barcode) {
        if (barcode == null || barcode.isBlank()) {
            throw new IllegalArgumentException("ERASE(6): a confirmation must name the barcode of the tape to destroy");
        }
        return new EraseConfirmation(barcode.strip());
    }

    /** The barcode the caller confirmed (stripped). */
    public String barcode() {
        return barcode;
    }

    @Override
    public String toString() {
        return "EraseConfirmation[" + barcode + "]";
    }
}
