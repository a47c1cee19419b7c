package dev.cairn.tape.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** READ ATTRIBUTE values. tgt has no READ ATTRIBUTE, so the sample is built by SPC-4 like an LTO cartridge's. */
class MamAttributesTest {
    static final byte[] CARTRIDGE = Bytes.of().hex("00 00 00 64")
            .hex("00 00 80 00 08 00 00 00 00 00 b7 1b 00")                       // 0000h remaining capacity: binary, read-only
            .hex("04 00 81 00 08").ascii("IBM", 8)                               // 0400h medium manufacturer: ASCII, read-only
            .hex("04 01 81 00 20").ascii("A0B1C2D3E4", 32)                       // 0401h medium serial number
            .hex("08 06 01 00 20").ascii("FEA001L6", 32)                         // 0806h barcode: ASCII, writable
            .build();

    @Test
    void decodesAttributesAndHelpers() {
        MamAttributes mam = MamAttributes.parse(CARTRIDGE);
        assertThat(mam.attributes()).extracting(MamAttribute::id).containsExactly(0x0000, 0x0400, 0x0401, 0x0806);
        assertThat(mam.mediumManufacturer()).contains("IBM");
        assertThat(mam.mediumSerialNumber()).contains("A0B1C2D3E4");
        assertThat(mam.barcode()).contains("FEA001L6");
        MamAttribute remaining = mam.find(0x0000).orElseThrow();
        assertThat(remaining.readOnly()).isTrue();
        assertThat(remaining.format()).isEqualTo(MamAttribute.FORMAT_BINARY);
        assertThat(remaining.text()).isEqualTo("0000000000b71b00");
        assertThat(remaining.value()).hasSize(8);
        assertThat(mam.find(0x0806).orElseThrow().readOnly()).isFalse();
        assertThat(mam.find(0x0800)).isEmpty();
    }

    @Test
    void textFormatAndEmptyList() {
        MamAttributes text = MamAttributes.parse(Bytes.of().hex("00 00 00 0a 08 01 02 00 05").raw("Cairn".getBytes(java.nio.charset.StandardCharsets.UTF_8)).build());
        assertThat(text.find(0x0801).orElseThrow().text()).isEqualTo("Cairn");
        assertThat(MamAttributes.parse(Bytes.of().hex("00 00 00 00").build()).attributes()).isEmpty();
    }

    @Test
    void lengthRules() {
        ScsiDecodeException cut = assertThrows(ScsiDecodeException.class, () -> MamAttributes.parse(Arrays.copyOf(CARTRIDGE, 40)));
        assertThat(cut.requiredLength()).hasValue(CARTRIDGE.length);
        ScsiDecodeException overrun = assertThrows(ScsiDecodeException.class,
                () -> MamAttributes.parse(Bytes.of().hex("00 00 00 07 04 00 01 00 08 41 42").build()));
        assertThat(overrun.getMessage()).contains("ATTRIBUTE VALUE");
    }

    @Test
    void robustness() {
        Robustness.check("MamAttributes", MamAttributes::parse, List.of(CARTRIDGE), 0x8CL);
    }
}
