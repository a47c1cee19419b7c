package dev.cairn.tape.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MODE SENSE(6) or MODE SENSE(10) data (SPC-4, SSC-4): the mode parameter header, the block
 * descriptors and the mode pages.
 *
 * <p>Header (6): byte 0 MODE DATA LENGTH (n-1), byte 1 MEDIUM TYPE, byte 2 DEVICE-SPECIFIC PARAMETER,
 * byte 3 BLOCK DESCRIPTOR LENGTH. Header (10): bytes 0-1 MODE DATA LENGTH (n-2), byte 2 MEDIUM TYPE,
 * byte 3 DEVICE-SPECIFIC PARAMETER, byte 4 bit 0 LONGLBA, bytes 6-7 BLOCK DESCRIPTOR LENGTH. For
 * tape the device-specific parameter is bit 7 WP, bits 6-4 BUFFERED MODE, bits 3-0 SPEED.
 *
 * <p>Block descriptor (8 bytes, SSC): byte 0 DENSITY CODE, bytes 1-3 NUMBER OF BLOCKS, bytes 5-7
 * BLOCK LENGTH (0 = variable). Long LBA descriptors are refused: Cairn's CDBs set LLBAA=0, so a device
 * must not send them.
 *
 * <p>The mode data length is the contract: bytes after it are ignored, a buffer shorter than it was cut
 * by the allocation length (see {@link ScsiDecodeException#requiredLength()}). tgt reports BUFFERED
 * MODE=1, medium type 0 (also for WORM cartridges), and pages 00h, 01h, 02h, 0Ah, 0Ah/01h, 0Fh, 10h,
 * 1Ch and 1Dh.
 */
public record ModeParameters(int mediumType, int deviceSpecific, List<BlockDescriptor> blockDescriptors, List<ModePage> pages) {

    /** One short block descriptor. */
    public record BlockDescriptor(int density, int numberOfBlocks, int blockLength) {
        /** Block length 0 means variable-length blocks. */
        public boolean variable() {
            return blockLength == 0;
        }
    }

    public ModeParameters {
        blockDescriptors = List.copyOf(blockDescriptors);
        pages = List.copyOf(pages);
    }

    public static ModeParameters parse6(byte[] data) {
        ByteReader r = ByteReader.of("MODE SENSE(6) data", data);
        int length = r.u8(0, "MODE DATA LENGTH");
        if (length + 1 < 4) {
            throw r.error(0, "MODE DATA LENGTH " + length + " is shorter than the 4-byte header");
        }
        ByteReader d = r.declared(length + 1L, "MODE DATA LENGTH");
        return parse(d, 4, d.u8(1, "MEDIUM TYPE"), d.u8(2, "DEVICE-SPECIFIC PARAMETER"), d.u8(3, "BLOCK DESCRIPTOR LENGTH"));
    }

    public static ModeParameters parse10(byte[] data) {
        ByteReader r = ByteReader.of("MODE SENSE(10) data", data);
        int length = r.u16(0, "MODE DATA LENGTH");
        if (length + 2 < 8) {
            throw r.error(0, "MODE DATA LENGTH " + length + " is shorter than the 8-byte header");
        }
        ByteReader d = r.declared(length + 2L, "MODE DATA LENGTH");
        if (d.bit(4, 0, "LONGLBA")) {
            throw d.error(4, "LONGLBA is set although the CDB asked for short block descriptors (LLBAA=0)");
        }
        return parse(d, 8, d.u8(2, "MEDIUM TYPE"), d.u8(3, "DEVICE-SPECIFIC PARAMETER"), d.u16(6, "BLOCK DESCRIPTOR LENGTH"));
    }

    private static ModeParameters parse(ByteReader d, int headerLength, int mediumType, int deviceSpecific, int blockDescriptorLength) {
        if (blockDescriptorLength % 8 != 0) {
            throw d.error(headerLength - 1, "BLOCK DESCRIPTOR LENGTH " + blockDescriptorLength + " is not a multiple of 8");
        }
        ByteReader bd = d.window(headerLength, blockDescriptorLength, "block descriptors");
        List<BlockDescriptor> descriptors = new ArrayList<>();
        for (int o = 0; o < blockDescriptorLength; o += 8) {
            descriptors.add(new BlockDescriptor(bd.u8(o, "DENSITY CODE"), bd.u24(o + 1, "NUMBER OF BLOCKS"), bd.u24(o + 5, "BLOCK LENGTH")));
        }
        List<ModePage> pages = new ArrayList<>();
        int offset = headerLength + blockDescriptorLength;
        while (offset < d.limit()) {
            ModePage page = ModePage.parse(d, offset);
            pages.add(page);
            offset += page.bytes().length;
        }
        return new ModeParameters(mediumType, deviceSpecific, descriptors, pages);
    }

    /** WP: the medium is write protected (DEVICE-SPECIFIC PARAMETER bit 7). */
    public boolean writeProtected() {
        return (deviceSpecific & 0x80) != 0;
    }

    /** BUFFERED MODE (DEVICE-SPECIFIC PARAMETER bits 6-4): 0 unbuffered, 1 buffered. */
    public int bufferedMode() {
        return (deviceSpecific >>> 4) & 0x07;
    }

    /** SPEED (DEVICE-SPECIFIC PARAMETER bits 3-0): 0 default. */
    public int speed() {
        return deviceSpecific & 0x0F;
    }

    /** The page with this code and subpage, if the device sent it. */
    public Optional<ModePage> page(int code, int subpage) {
        return pages.stream().filter(p -> p.code() == code && p.subpage() == subpage).findFirst();
    }

    /** The page with this code and subpage 0. */
    public Optional<ModePage> page(int code) {
        return page(code, 0);
    }
}
