package dev.cairn.tape.scsi;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * REPORT SUPPORTED OPERATION CODES data in the "all commands" format (SPC-4): bytes 0-3 COMMAND DATA
 * LENGTH, then one command descriptor each: byte 0 OPERATION CODE, bytes 2-3 SERVICE ACTION, byte 5
 * bit 1 CTDP (a 12-byte command timeouts descriptor follows) and bit 0 SERVACTV (the service action
 * is valid), bytes 6-7 CDB LENGTH. tgt confirmed its opcode tables through this command (see the
 * emulator notes); it lists 0x0B SET CAPACITY although that answers 05/2000.
 */
public record SupportedOperationCodes(Set<Command> commands) {
    private static final String STRUCTURE = "REPORT SUPPORTED OPERATION CODES data";

    /** One supported command; {@code serviceAction} means something only when {@code serviceActionValid}. */
    public record Command(int opcode, int serviceAction, boolean serviceActionValid, int cdbLength) {
    }

    public SupportedOperationCodes {
        commands = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(commands));
    }

    public static SupportedOperationCodes parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        long length = r.u32(0, "COMMAND DATA LENGTH");
        ByteReader list = r.declared(4 + length, "COMMAND DATA LENGTH");
        Set<Command> commands = new LinkedHashSet<>();
        int offset = 4;
        while (offset < list.limit()) {
            ByteReader d = list.window(offset, 8, "command descriptor");
            int flags = d.u8(5, "CTDP/SERVACTV");
            boolean ctdp = (flags & 0x02) != 0;
            commands.add(new Command(d.u8(0, "OPERATION CODE"), d.u16(2, "SERVICE ACTION"), (flags & 0x01) != 0,
                    d.u16(6, "CDB LENGTH")));
            offset += 8;
            if (ctdp) {
                list.require(offset, 12, "command timeouts descriptor");
                offset += 12;
            }
        }
        return new SupportedOperationCodes(commands);
    }

    /** True when the device lists {@code opcode} (with any or no service action). */
    public boolean supports(int opcode) {
        return commands.stream().anyMatch(c -> c.opcode() == opcode);
    }

    /** True when the device lists {@code opcode} with this service action. */
    public boolean supports(int opcode, int serviceAction) {
        return commands.stream().anyMatch(c -> c.opcode() == opcode && c.serviceActionValid() && c.serviceAction() == serviceAction);
    }
}
