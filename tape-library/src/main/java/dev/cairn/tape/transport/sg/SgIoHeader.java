package dev.cairn.tape.transport.sg;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.util.List;

/**
 * {@code struct sg_io_hdr} from Linux {@code <scsi/sg.h>}: the v3 SCSI generic request and reply, the
 * argument of {@code ioctl(fd, SG_IO, &hdr)}. Field names, order and C types follow the header exactly;
 * JNA lays the fields out with the platform's C alignment rules. The layout below is for LP64 Linux
 * (x86_64 and aarch64), where it is identical; {@code SgIoHeaderLayoutTest} pins it, and checks it
 * against gcc's {@code offsetof} when gcc and the header are installed.
 *
 * <pre>
 * offset size  C type            field            direction
 *   0     4    int               interface_id     [i]  'S'
 *   4     4    int               dxfer_direction  [i]  SG_DXFER_NONE -1, TO_DEV -2, FROM_DEV -3
 *   8     1    unsigned char     cmd_len          [i]  CDB length
 *   9     1    unsigned char     mx_sb_len        [i]  room at sbp
 *  10     2    unsigned short    iovec_count      [i]  0: dxferp is a plain buffer
 *  12     4    unsigned int      dxfer_len        [i]  bytes to transfer
 *  16     8    void *            dxferp           [i]  data buffer
 *  24     8    unsigned char *   cmdp             [i]  CDB
 *  32     8    unsigned char *   sbp              [i]  sense buffer
 *  40     4    unsigned int      timeout          [i]  milliseconds
 *  44     4    unsigned int      flags            [i]  0: indirect I/O
 *  48     4    int               pack_id          [io]
 *  52     4    (padding: the next pointer is 8-aligned)
 *  56     8    void *            usr_ptr          [io]
 *  64     1    unsigned char     status           [o]  SCSI status byte
 *  65     1    unsigned char     masked_status    [o]  obsolete (status &gt;&gt; 1), not used
 *  66     1    unsigned char     msg_status       [o]
 *  67     1    unsigned char     sb_len_wr        [o]  sense bytes written
 *  68     2    unsigned short    host_status      [o]  DID_*
 *  70     2    unsigned short    driver_status    [o]  DRIVER_* | SUGGEST_*
 *  72     4    int               resid            [o]  dxfer_len - bytes transferred
 *  76     4    unsigned int      duration         [o]  milliseconds
 *  80     4    unsigned int      info             [o]  SG_INFO_*
 *  84     4    (tail padding to a multiple of 8, the largest member alignment)
 *  size 88
 * </pre>
 *
 * <p>Java has no unsigned types: unsigned char and unsigned short fields are {@code byte} and
 * {@code short} here, and the accessors ({@link #sbLenWr()}, {@link #hostStatus()}...) widen them without
 * sign. Public only because JNA reads and writes the fields by reflection; it is not an API.
 */
@FieldOrder({
    "interface_id", "dxfer_direction", "cmd_len", "mx_sb_len", "iovec_count", "dxfer_len",
    "dxferp", "cmdp", "sbp", "timeout", "flags", "pack_id", "usr_ptr",
    "status", "masked_status", "msg_status", "sb_len_wr", "host_status", "driver_status",
    "resid", "duration", "info"})
public final class SgIoHeader extends Structure {

    /** {@code sizeof(struct sg_io_hdr)} on LP64 Linux. */
    static final int SIZE = 88;

    public int interface_id;
    public int dxfer_direction;
    public byte cmd_len;
    public byte mx_sb_len;
    public short iovec_count;
    public int dxfer_len;
    public Pointer dxferp;
    public Pointer cmdp;
    public Pointer sbp;
    public int timeout;
    public int flags;
    public int pack_id;
    public Pointer usr_ptr;
    public byte status;
    public byte masked_status;
    public byte msg_status;
    public byte sb_len_wr;
    public short host_status;
    public short driver_status;
    public int resid;
    public int duration;
    public int info;

    /** A header in memory JNA allocates (zeroed). */
    public SgIoHeader() {
        super();
    }

    /** A header over {@code memory}, which must hold {@link #SIZE} bytes; call {@link #read()} to load it. */
    public SgIoHeader(Pointer memory) {
        super(memory);
    }

    /** The byte offset of {@code field} in the native structure, as JNA computed it. */
    int offsetOf(String field) {
        return fieldOffset(field);
    }

    /** The field order JNA uses (from {@link FieldOrder}). */
    List<String> fieldNames() {
        return getFieldOrder();
    }

    int cmdLen() {
        return cmd_len & 0xff;
    }

    int mxSbLen() {
        return mx_sb_len & 0xff;
    }

    long dxferLen() {
        return dxfer_len & 0xffff_ffffL;
    }

    long timeoutMillis() {
        return timeout & 0xffff_ffffL;
    }

    int scsiStatus() {
        return status & 0xff;
    }

    int sbLenWr() {
        return sb_len_wr & 0xff;
    }

    int hostStatus() {
        return host_status & 0xffff;
    }

    int driverStatus() {
        return driver_status & 0xffff;
    }

    long durationMillis() {
        return duration & 0xffff_ffffL;
    }

    long infoBits() {
        return info & 0xffff_ffffL;
    }
}
