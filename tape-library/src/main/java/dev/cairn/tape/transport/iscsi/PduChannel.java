package dev.cairn.tape.transport.iscsi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Reads and writes PDUs on one connection's byte streams: the BHS, additional header segments, the
 * optional CRC32C header and data digests (RFC 7143 section 11.1 and 13.1; the 32-bit CRC is sent
 * least significant byte first, as the Linux initiator and tgt do), and the data segment padded to a
 * multiple of 4 bytes. Reading validates every length against the limits negotiated at login, so a
 * malformed stream is an {@link IscsiProtocolException}, never an allocation of garbage size.
 *
 * <p>Not thread safe: the session serialises access.
 */
final class PduChannel {
    static final int MAX_AHS = 255 * 4;
    private static final byte[] ZEROS = new byte[4];

    private final InputStream in;
    private final OutputStream out;
    private boolean headerDigest;
    private boolean dataDigest;

    PduChannel(InputStream in, OutputStream out) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    void digests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    boolean headerDigest() {
        return headerDigest;
    }

    boolean dataDigest() {
        return dataDigest;
    }

    /** Writes {@code p}; call {@link #flush()} after the last PDU of a burst. */
    void write(Pdu p) throws IOException {
        out.write(p.bhs);
        out.write(p.ahs);
        if (headerDigest) {
            CRC32C c = new CRC32C();
            c.update(p.bhs);
            c.update(p.ahs);
            writeDigest(c.getValue());
        }
        if (p.dataLength > 0) {
            out.write(p.data, p.dataOffset, p.dataLength);
            int pad = (4 - (p.dataLength & 3)) & 3;
            out.write(ZEROS, 0, pad);
            if (dataDigest) {
                CRC32C c = new CRC32C();
                c.update(p.data, p.dataOffset, p.dataLength);
                c.update(ZEROS, 0, pad);
                writeDigest(c.getValue());
            }
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Reads the next PDU's headers (BHS, AHS, header digest). The data segment must then be consumed
     * with {@link #readData(Pdu, byte[], int)} or {@link #readData(Pdu)} before the next call.
     *
     * @param maxDataLength the largest data segment this side accepts (its MaxRecvDataSegmentLength)
     */
    Pdu readHeader(int maxDataLength) throws IOException {
        byte[] bhs = new byte[Pdu.BHS];
        readFully(bhs, 0, bhs.length);
        Pdu p = new Pdu(bhs);
        int ahsLength = p.totalAhsLength();
        if (ahsLength > 0) {
            p.ahs = new byte[ahsLength];
            readFully(p.ahs, 0, ahsLength);
        }
        if (headerDigest) {
            CRC32C c = new CRC32C();
            c.update(bhs);
            c.update(p.ahs);
            checkDigest(c.getValue(), "header of a " + Pdu.opcodeName(p.opcode()));
        }
        int len = p.dataSegmentLength();
        if (len > maxDataLength) {
            throw new IscsiProtocolException("the target sent a " + Pdu.opcodeName(p.opcode()) + " with a " + len
                    + "-byte data segment; at most " + maxDataLength + " were negotiated");
        }
        return p;
    }

    /** Reads the data segment of {@code p} into a new array and attaches it. */
    byte[] readData(Pdu p) throws IOException {
        byte[] data = new byte[p.dataSegmentLength()];
        readData(p, data, 0);
        p.data(data);
        return data;
    }

    /** Reads the data segment of {@code p} into {@code dest} at {@code offset} (the caller checked it fits). */
    void readData(Pdu p, byte[] dest, int offset) throws IOException {
        int len = p.dataSegmentLength();
        if (len == 0) {
            return;
        }
        readFully(dest, offset, len);
        int pad = (4 - (len & 3)) & 3;
        byte[] padding = new byte[pad];
        readFully(padding, 0, pad);
        if (dataDigest) {
            CRC32C c = new CRC32C();
            c.update(dest, offset, len);
            c.update(padding, 0, pad);
            checkDigest(c.getValue(), "data of a " + Pdu.opcodeName(p.opcode()));
        }
    }

    /** Reads and drops the data segment of {@code p}. */
    void skipData(Pdu p) throws IOException {
        if (p.dataSegmentLength() > 0) {
            readData(p);
        }
    }

    private void writeDigest(long crc) throws IOException {
        out.write((int) crc);
        out.write((int) (crc >>> 8));
        out.write((int) (crc >>> 16));
        out.write((int) (crc >>> 24));
    }

    private void checkDigest(long expected, String what) throws IOException {
        byte[] d = new byte[4];
        readFully(d, 0, 4);
        long got = (d[0] & 0xffL) | (d[1] & 0xffL) << 8 | (d[2] & 0xffL) << 16 | (d[3] & 0xffL) << 24;
        if (got != expected) {
            throw new IscsiProtocolException("CRC32C digest mismatch on the " + what
                    + ": the connection corrupted data; it is dropped and the command fails");
        }
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException("the target closed the connection");
            }
            done += n;
        }
    }
}
