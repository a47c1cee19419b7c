package dev.cairn.tape.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions shared by the builder tests. */
final class CdbAssert {
    private CdbAssert() {
    }

    /** Bytes written as space-separated hex, e.g. "12 00 00 00 24 00". */
    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", "").replace("\n", ""));
    }

    static void assertCdb(Cdb cdb, String name, String expectedHex, Direction direction, int dataInLength) {
        assertThat(HexFormat.ofDelimiter(" ").formatHex(cdb.bytes())).as(name + " bytes").isEqualTo(expectedHex);
        assertThat(cdb.name()).isEqualTo(name);
        assertThat(cdb.direction()).as(name + " direction").isEqualTo(direction);
        assertThat(cdb.dataInLength()).as(name + " dataInLength").isEqualTo(dataInLength);
    }

    /** The builder refuses the call with an IllegalArgumentException naming the command and the field. */
    static void rejects(ThrowingCallable call, String command, String field) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(command + ": ")
                .hasMessageContaining(field);
    }
}
