package dev.cairn.tape.scsi;

/**
 * Medium configuration mode page 1Dh of a tape drive (SSC-4; the changer's page 1Dh is
 * {@link ElementAddressAssignmentPage}): byte 2 bit 0 WORMM (the loaded medium is WORM), byte 4 WORM
 * MODE LABEL RESTRICTIONS, byte 5 WORM MODE FILEMARK RESTRICTIONS.
 *
 * <p>tgt reports WORMM=1 for every cartridge (the page is static) and does not enforce WORM at all:
 * WORMM from tgt means nothing.
 */
public record MediumConfigurationPage(boolean wormm, int wormModeLabelRestrictions, int wormModeFilemarkRestrictions) {
    public static final int PAGE_CODE = 0x1D;
    private static final String STRUCTURE = "medium configuration mode page (1Dh)";

    public static MediumConfigurationPage parse(ModePage page) {
        return parse(page == null ? null : page.bytes());
    }

    /** Decodes the page from its bytes, header included (SSC gives page length 1Eh; 4 are read). */
    public static MediumConfigurationPage parse(byte[] page) {
        ByteReader r = ModePage.reader(STRUCTURE, page, PAGE_CODE, 4);
        return new MediumConfigurationPage(r.bit(2, 0, "WORMM"), r.u8(4, "WORM MODE LABEL RESTRICTIONS"),
                r.u8(5, "WORM MODE FILEMARK RESTRICTIONS"));
    }
}
