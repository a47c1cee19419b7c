package dev.cairn.tape.transport.sg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins {@link SgIoHeader} to the C layout of {@code struct sg_io_hdr} on LP64 Linux.
 *
 * <p>The expected offsets, computed by hand from the C rules (each member at the next multiple of its
 * own alignment; int and unsigned int 4, unsigned char 1, unsigned short 2, pointers 8; the struct's
 * size a multiple of its largest alignment, 8):
 *
 * <pre>
 * interface_id     int        0            (start)
 * dxfer_direction  int        4            0 + 4
 * cmd_len          uchar      8            4 + 4
 * mx_sb_len        uchar      9            8 + 1
 * iovec_count      ushort    10            9 + 1 = 10, already 2-aligned
 * dxfer_len        uint      12           10 + 2 = 12, already 4-aligned
 * dxferp           ptr       16           12 + 4 = 16, already 8-aligned
 * cmdp             ptr       24           16 + 8
 * sbp              ptr       32           24 + 8
 * timeout          uint      40           32 + 8
 * flags            uint      44           40 + 4
 * pack_id          int       48           44 + 4
 * usr_ptr          ptr       56           48 + 4 = 52, padded to 56 (8-aligned)
 * status           uchar     64           56 + 8
 * masked_status    uchar     65
 * msg_status       uchar     66
 * sb_len_wr        uchar     67
 * host_status      ushort    68           67 + 1 = 68, already 2-aligned
 * driver_status    ushort    70
 * resid            int       72           70 + 2 = 72, already 4-aligned
 * duration         uint      76
 * info             uint      80
 * end                        84, padded to 88 (multiple of 8) = sizeof
 * </pre>
 */
class SgIoHeaderLayoutTest {

    /** Field, offset: the table above. */
    static final Map<String, Integer> HAND_COMPUTED = handComputed();

    private static Map<String, Integer> handComputed() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("interface_id", 0);
        m.put("dxfer_direction", 4);
        m.put("cmd_len", 8);
        m.put("mx_sb_len", 9);
        m.put("iovec_count", 10);
        m.put("dxfer_len", 12);
        m.put("dxferp", 16);
        m.put("cmdp", 24);
        m.put("sbp", 32);
        m.put("timeout", 40);
        m.put("flags", 44);
        m.put("pack_id", 48);
        m.put("usr_ptr", 56);
        m.put("status", 64);
        m.put("masked_status", 65);
        m.put("msg_status", 66);
        m.put("sb_len_wr", 67);
        m.put("host_status", 68);
        m.put("driver_status", 70);
        m.put("resid", 72);
        m.put("duration", 76);
        m.put("info", 80);
        return m;
    }

    @BeforeAll
    static void lp64() {
        assertThat(Native.POINTER_SIZE).as("these offsets are for LP64 (8-byte pointers)").isEqualTo(8);
    }

    @Test
    void sizeIs88() {
        assertThat(new SgIoHeader().size()).isEqualTo(88).isEqualTo(SgIoHeader.SIZE);
    }

    @Test
    void everyFieldIsAtItsHandComputedOffset() {
        SgIoHeader h = new SgIoHeader();
        Map<String, Integer> actual = new LinkedHashMap<>();
        for (String field : HAND_COMPUTED.keySet()) {
            actual.put(field, h.offsetOf(field));
        }
        assertThat(actual).containsExactlyEntriesOf(HAND_COMPUTED);
    }

    @Test
    void fieldOrderIsTheHeadersOrder() {
        assertThat(new SgIoHeader().fieldNames()).containsExactlyElementsOf(HAND_COMPUTED.keySet());
    }

    @Test
    void javaFieldsLandAtTheCOffsetsInNativeMemory() {
        try (Memory memory = new Memory(SgIoHeader.SIZE)) {
            memory.clear();
            SgIoHeader h = new SgIoHeader(memory);
            h.interface_id = 'S';
            h.dxfer_direction = -3;
            h.cmd_len = 6;
            h.mx_sb_len = (byte) 252;
            h.iovec_count = (short) 0xbeef;
            h.dxfer_len = 0x01020304;
            h.dxferp = new Pointer(0x1111_2222_3333_4444L);
            h.cmdp = new Pointer(0x5555_6666_7777_8888L);
            h.sbp = new Pointer(0x0102_0304_0506_0708L);
            h.timeout = 600_000;
            h.flags = 0x10000;
            h.pack_id = -7;
            h.usr_ptr = new Pointer(0x0a0b_0c0d_0e0f_1011L);
            h.status = 2;
            h.masked_status = 1;
            h.msg_status = 3;
            h.sb_len_wr = 18;
            h.host_status = 7;
            h.driver_status = 0x28;
            h.resid = 512;
            h.duration = 1234;
            h.info = 1;
            h.write();

            assertThat(memory.getInt(0)).isEqualTo('S');
            assertThat(memory.getInt(4)).isEqualTo(-3);
            assertThat(memory.getByte(8)).isEqualTo((byte) 6);
            assertThat(memory.getByte(9) & 0xff).isEqualTo(252);
            assertThat(memory.getShort(10) & 0xffff).isEqualTo(0xbeef);
            assertThat(memory.getInt(12)).isEqualTo(0x01020304);
            assertThat(memory.getLong(16)).isEqualTo(0x1111_2222_3333_4444L);
            assertThat(memory.getLong(24)).isEqualTo(0x5555_6666_7777_8888L);
            assertThat(memory.getLong(32)).isEqualTo(0x0102_0304_0506_0708L);
            assertThat(memory.getInt(40)).isEqualTo(600_000);
            assertThat(memory.getInt(44)).isEqualTo(0x10000);
            assertThat(memory.getInt(48)).isEqualTo(-7);
            assertThat(memory.getInt(52)).as("padding stays zero").isZero();
            assertThat(memory.getLong(56)).isEqualTo(0x0a0b_0c0d_0e0f_1011L);
            assertThat(memory.getByte(64)).isEqualTo((byte) 2);
            assertThat(memory.getByte(65)).isEqualTo((byte) 1);
            assertThat(memory.getByte(66)).isEqualTo((byte) 3);
            assertThat(memory.getByte(67)).isEqualTo((byte) 18);
            assertThat(memory.getShort(68)).isEqualTo((short) 7);
            assertThat(memory.getShort(70)).isEqualTo((short) 0x28);
            assertThat(memory.getInt(72)).isEqualTo(512);
            assertThat(memory.getInt(76)).isEqualTo(1234);
            assertThat(memory.getInt(80)).isEqualTo(1);
            assertThat(memory.getInt(84)).as("tail padding stays zero").isZero();
        }
    }

    @Test
    void whatTheKernelWritesAtTheCOffsetsReadsBackWithoutSign() {
        try (Memory memory = new Memory(SgIoHeader.SIZE)) {
            memory.clear();
            memory.setByte(64, (byte) 0x02);       // status CHECK CONDITION
            memory.setByte(67, (byte) 252);        // sb_len_wr, above 127
            memory.setShort(68, (short) 0xfffe);   // host_status, above 32767
            memory.setShort(70, (short) 0x08);     // driver_status DRIVER_SENSE
            memory.setInt(72, 4096);               // resid
            memory.setInt(76, 0xffff_fff0);        // duration, above 2^31
            memory.setInt(80, 1);                  // info SG_INFO_CHECK
            SgIoHeader h = new SgIoHeader(memory);
            h.read();
            assertThat(h.scsiStatus()).isEqualTo(2);
            assertThat(h.sbLenWr()).isEqualTo(252);
            assertThat(h.hostStatus()).isEqualTo(0xfffe);
            assertThat(h.driverStatus()).isEqualTo(8);
            assertThat(h.resid).isEqualTo(4096);
            assertThat(h.durationMillis()).isEqualTo(0xffff_fff0L);
            assertThat(h.infoBits()).isEqualTo(1);
        }
    }

    /**
     * The same offsets from the C compiler itself: compiles a program that prints {@code sizeof} and
     * every {@code offsetof} from {@code <scsi/sg.h>}. On Debian that header comes from libc6-dev
     * (glibc's copy of the kernel's v3 definition). Aborted (reported as skipped, not passed) when gcc
     * or the header is missing; the hand-computed table above still runs.
     */
    @Test
    void offsetsMatchGcc(@TempDir Path dir) throws Exception {
        Path header = Path.of("/usr/include/scsi/sg.h");
        Path gcc = onPath("gcc");
        if (gcc == null || !Files.isReadable(header)) {
            abort("gcc " + (gcc == null ? "not on PATH" : "found") + ", " + header
                    + (Files.isReadable(header) ? " found" : " missing")
                    + ": layout checked only against the hand-computed table (everyFieldIsAtItsHandComputedOffset)");
        }
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <scsi/sg.h>
                int main(void) {
                    printf("sizeof %zu\\n", sizeof(struct sg_io_hdr));
                """);
        for (String field : HAND_COMPUTED.keySet()) {
            c.append("    printf(\"").append(field).append(" %zu\\n\", offsetof(struct sg_io_hdr, ")
                    .append(field).append("));\n");
        }
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("sg_layout.c");
        Path binary = dir.resolve("sg_layout");
        Files.writeString(source, c);
        String compiled = run(List.of(gcc.toString(), "-std=c11", "-Wall", "-o", binary.toString(), source.toString()));
        assertThat(Files.isExecutable(binary)).as("gcc output: %s", compiled).isTrue();

        Map<String, Integer> fromC = new LinkedHashMap<>();
        int size = -1;
        for (String line : run(List.of(binary.toString())).strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts[0].equals("sizeof")) {
                size = Integer.parseInt(parts[1]);
            } else {
                fromC.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        SgIoHeader h = new SgIoHeader();
        Map<String, Integer> fromJna = new LinkedHashMap<>();
        for (String field : HAND_COMPUTED.keySet()) {
            fromJna.put(field, h.offsetOf(field));
        }
        assertThat(size).as("sizeof(struct sg_io_hdr) from gcc on " + Platform.ARCH).isEqualTo(h.size());
        assertThat(fromJna).as("JNA offsets vs gcc offsetof").containsExactlyEntriesOf(fromC);
        assertThat(fromC).as("gcc offsetof vs the hand-computed table").containsExactlyEntriesOf(HAND_COMPUTED);
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", command, text).isZero();
        return text;
    }
}
