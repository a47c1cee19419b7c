package dev.cairn.tape.transport.iscsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One iSCSI protocol data unit (RFC 7143 section 11): the 48-byte basic header segment (BHS), optional
 * additional header segments and the data segment. Byte layouts of each opcode are in RFC 7143 sections
 * 11.2 to 11.19; the accessors here name the fields Cairn reads and writes. Mutable: built, then sent.
 */
final class Pdu {
    static final int BHS = 48;

    // Opcodes (RFC 7143 section 11.1.1). Initiator to target:
    static final int NOP_OUT = 0x00;
    static final int SCSI_COMMAND = 0x01;
    static final int TASK_MGMT_REQUEST = 0x02;
    static final int LOGIN_REQUEST = 0x03;
    static final int TEXT_REQUEST = 0x04;
    static final int DATA_OUT = 0x05;
    static final int LOGOUT_REQUEST = 0x06;
    // Target to initiator:
    static final int NOP_IN = 0x20;
    static final int SCSI_RESPONSE = 0x21;
    static final int TASK_MGMT_RESPONSE = 0x22;
    static final int LOGIN_RESPONSE = 0x23;
    static final int TEXT_RESPONSE = 0x24;
    static final int DATA_IN = 0x25;
    static final int LOGOUT_RESPONSE = 0x26;
    static final int R2T = 0x31;
    static final int ASYNC_MESSAGE = 0x32;
    static final int REJECT = 0x3f;

    static final int RESERVED_TAG = 0xffffffff;

    final byte[] bhs;
    byte[] ahs = new byte[0];
    byte[] data = new byte[0];
    int dataOffset;
    int dataLength;

    Pdu(byte[] bhs) {
        if (bhs.length != BHS) {
            throw new IllegalArgumentException("a BHS has 48 bytes");
        }
        this.bhs = bhs;
    }

    /** A new PDU with {@code opcode} (and the immediate bit when asked). */
    static Pdu of(int opcode, boolean immediate) {
        Pdu p = new Pdu(new byte[BHS]);
        p.bhs[0] = (byte) ((immediate ? 0x40 : 0) | (opcode & 0x3f)); // byte 0: bit 6 I, bits 0-5 opcode
        return p;
    }

    int opcode() {
        return bhs[0] & 0x3f;
    }

    boolean immediate() {
        return (bhs[0] & 0x40) != 0;
    }

    /** Byte 1 (flags: F and opcode-specific bits). */
    int flags() {
        return bhs[1] & 0xff;
    }

    Pdu flags(int f) {
        bhs[1] = (byte) f;
        return this;
    }

    boolean finalBit() {
        return (bhs[1] & 0x80) != 0;
    }

    int byteAt(int i) {
        return bhs[i] & 0xff;
    }

    Pdu byteAt(int i, int v) {
        bhs[i] = (byte) v;
        return this;
    }

    /** Byte 4: TotalAHSLength in 4-byte words. */
    int totalAhsLength() {
        return (bhs[4] & 0xff) * 4;
    }

    /** Bytes 5-7: DataSegmentLength (without padding). */
    int dataSegmentLength() {
        return ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
    }

    /** Bytes 8-15: the LUN field; single-level peripheral addressing for LUN < 256, flat for up to 16383. */
    Pdu lun(int lun) {
        long field = lun < 256 ? ((long) lun) << 48 : ((0x40L | ((lun >> 8) & 0x3f)) << 56) | (((long) lun & 0xff) << 48);
        putLong(8, field);
        return this;
    }

    int int32(int offset) {
        return ByteBuffer.wrap(bhs).getInt(offset);
    }

    Pdu int32(int offset, int v) {
        ByteBuffer.wrap(bhs).putInt(offset, v);
        return this;
    }

    long uint32(int offset) {
        return Integer.toUnsignedLong(int32(offset));
    }

    Pdu putLong(int offset, long v) {
        ByteBuffer.wrap(bhs).putLong(offset, v);
        return this;
    }

    /** Bytes 16-19: Initiator Task Tag. */
    int itt() {
        return int32(16);
    }

    Pdu itt(int tag) {
        return int32(16, tag);
    }

    /** Sets the data segment to {@code len} bytes of {@code buf} from {@code off} (not copied). */
    Pdu data(byte[] buf, int off, int len) {
        if (len > 0xffffff) {
            throw new IllegalArgumentException("a data segment has at most 16 MiB - 1 bytes");
        }
        this.data = buf;
        this.dataOffset = off;
        this.dataLength = len;
        bhs[5] = (byte) (len >>> 16);
        bhs[6] = (byte) (len >>> 8);
        bhs[7] = (byte) len;
        return this;
    }

    Pdu data(byte[] buf) {
        return data(buf, 0, buf.length);
    }

    byte[] dataBytes() {
        return Arrays.copyOfRange(data, dataOffset, dataOffset + dataLength);
    }

    /** Text key=value pairs (NUL-separated, UTF-8), as in Login and Text PDUs (RFC 7143 section 6). */
    static byte[] encodeKeys(Map<String, String> keys) {
        StringBuilder sb = new StringBuilder();
        keys.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes key=value pairs; a pair without '=' or an empty key is a protocol error. Later duplicates
     * are refused (RFC 7143 section 6.1: a key sent twice is a protocol error).
     */
    static Map<String, String> decodeKeys(byte[] data) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = new String(data, StandardCharsets.UTF_8);
        for (String pair : s.split("\0")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IscsiProtocolException("malformed key=value pair in a text segment");
            }
            if (out.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new IscsiProtocolException("the target sent key " + pair.substring(0, eq) + " twice");
            }
        }
        return out;
    }

    static String opcodeName(int opcode) {
        return switch (opcode) {
            case NOP_OUT -> "NOP-Out";
            case SCSI_COMMAND -> "SCSI Command";
            case TASK_MGMT_REQUEST -> "Task Management Request";
            case LOGIN_REQUEST -> "Login Request";
            case TEXT_REQUEST -> "Text Request";
            case DATA_OUT -> "SCSI Data-Out";
            case LOGOUT_REQUEST -> "Logout Request";
            case NOP_IN -> "NOP-In";
            case SCSI_RESPONSE -> "SCSI Response";
            case TASK_MGMT_RESPONSE -> "Task Management Response";
            case LOGIN_RESPONSE -> "Login Response";
            case TEXT_RESPONSE -> "Text Response";
            case DATA_IN -> "SCSI Data-In";
            case LOGOUT_RESPONSE -> "Logout Response";
            case R2T -> "Ready To Transfer";
            case ASYNC_MESSAGE -> "Asynchronous Message";
            case REJECT -> "Reject";
            default -> String.format("opcode 0x%02x", opcode);
        };
    }

    @Override
    public String toString() {
        return opcodeName(opcode()) + " itt=" + Integer.toHexString(itt()) + " data=" + dataLength;
    }
}
